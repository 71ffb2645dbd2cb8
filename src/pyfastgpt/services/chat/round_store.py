"""Persistence of chat rounds (FastGPT 4.16's preChatRound / finalizeChatRound, 4.11's value shapes).

A round is written in two transactions: before the run the chat is marked generating and the
user's item is stored (so a failed run still keeps the question); after it the AI item, the node
responses, the chat's title/variables/status and the usage are written together.

A round that starts a chat the server named itself (no `chatId` in the request) is written in one
transaction after the run, as FastGPT 4.11's `saveChat` does: no other request can know that chat
yet, so there is nothing to claim, and the question is stored with the answer or the error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import Conflict, PermissionDenied
from pyfastgpt.core.ids import nanoid, new_id
from pyfastgpt.services.chat.messages import answer_interactive
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey, Chat, ChatItem, ChatItemResponse, UsageRecord
from pyfastgpt.store.models.chat_counts import BUMP_SQL, count_changes
from pyfastgpt.store.prepared import Prepared, Writes

GENERATING, DONE, FAILED = 0, 1, 2
CHATS: Table = Chat.__table__  # type: ignore[assignment]
CHAT_ITEMS: Table = ChatItem.__table__  # type: ignore[assignment]
CHAT_ITEM_RESPONSES: Table = ChatItemResponse.__table__  # type: ignore[assignment]
USAGES: Table = UsageRecord.__table__  # type: ignore[assignment]
API_KEYS: Table = ApiKey.__table__  # type: ignore[assignment]

# The round's statements are compiled once and run on the DB-API cursor (`store/prepared.py`):
# SQLAlchemy's per-statement bookkeeping otherwise costs more than the database does.
# The head is read FOR UPDATE (PostgreSQL; SQLite has one writer): whether the claim revives a deleted
# chat, and so moves the owner's `chat_counts`, cannot change under a concurrent delete.
SELECT_CHAT_HEAD = Prepared(
    select(CHATS.c.id, CHATS.c.team_id, CHATS.c.tmb_id, CHATS.c.share_id, CHATS.c.out_link_uid, CHATS.c.delete_time)
    .where(CHATS.c.app_id == bindparam("b_app_id"), CHATS.c.chat_id == bindparam("b_chat_id"))
    .with_for_update()
)
CLAIM_CHAT = (
    update(CHATS)
    .where(
        CHATS.c.id == bindparam("b_id"),
        or_(CHATS.c.chat_generate_status != GENERATING, CHATS.c.update_time < bindparam("b_stale")),
    )
    .values(
        chat_generate_status=GENERATING,
        has_been_read=False,
        update_time=bindparam("b_now"),
        delete_time=None,
        app_version_id=bindparam("b_version"),
    )
)
FINISH_CHAT = Prepared(
    update(CHATS)
    .where(CHATS.c.app_id == bindparam("b_app_id"), CHATS.c.chat_id == bindparam("b_chat_id"))
    .values(
        variables=bindparam("b_variables", type_=CHATS.c.variables.type),
        update_time=bindparam("b_now"),
        chat_generate_status=bindparam("b_status"),
        has_been_read=False,  # FastGPT: a finished round (done or error) is unread until `markRead`
        error_count=CHATS.c.error_count + bindparam("b_errors"),
    )
)
ADD_KEY_POINTS = Prepared(
    update(API_KEYS)
    .where(API_KEYS.c.id == bindparam("b_id"))
    .values(usage_points=API_KEYS.c.usage_points + bindparam("b_points"))
)
CLAIM_CHAT_PREPARED = Prepared(CLAIM_CHAT)
INSERT_CHAT = Prepared(insert(CHATS))
INSERT_ITEM = Prepared(insert(CHAT_ITEMS))
INSERT_RESPONSE = Prepared(insert(CHAT_ITEM_RESPONSES))
INSERT_USAGE = Prepared(insert(USAGES))
BUMP_CHAT_COUNT = Prepared(BUMP_SQL)
STALE_GENERATING = timedelta(minutes=10)


@dataclass(slots=True)
class ChatScope:
    """Who owns the chat: the team member (API keys) or a share-link visitor."""

    team_id: str
    tmb_id: str
    app_id: str
    source: str = "api"
    source_name: str = ""
    share_id: str | None = None
    out_link_uid: str | None = None
    member_only: bool = False  # API keys reach only their member's chats; root reaches the team's


@dataclass(slots=True)
class LoadedChat:
    exists: bool
    variables: dict[str, Any] = field(default_factory=dict)
    histories: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""


@dataclass(slots=True)
class RoundRecord:
    chat_id: str
    scope: ChatScope
    app_version_id: str | None
    human_value: list[dict[str, Any]] | None  # None on interactive resume
    human_data_id: str
    ai_data_id: str
    title: str
    metadata: dict[str, Any]
    variables: dict[str, Any]
    variable_list: list[Any] | None = None
    welcome_text: str = ""
    resumed_item_data_id: str | None = None
    fresh: bool = False  # a chat id the server generated: created with the round's final write


@dataclass(slots=True)
class RoundOutcome:
    """What a finished (or failed) run leaves to persist."""

    ai_value: list[dict[str, Any]]
    variables: dict[str, Any]
    title: str | None = None  # a title model's name for a new chat (replaces the placeholder title)
    responses: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    duration_seconds: float = 0.0
    total_points: float = 0.0
    usage_items: list[dict[str, Any]] = field(default_factory=list)
    custom_feedbacks: list[str] = field(default_factory=list)
    key_id: str | None = None
    app_name: str = ""
    usage_source: str = "api"
    answer: str | None = None  # the user's answer to a resumed interaction
    memories: dict[str, Any] | None = None  # node memories (FastGPT `system_memories`)
    input_tokens: int = 0
    output_tokens: int = 0


# Hooks run in the round's final transaction; they may add to its pending writes, or send them with a statement
# that does not read what they write (`Writes`).
FinishHook = Callable[[Writes, RoundRecord, RoundOutcome, datetime], None]


def _item_row(record: RoundRecord, obj: str, data_id: str, value: Any, now: datetime) -> dict[str, Any]:
    scope = record.scope
    return {
        "data_id": data_id,
        "team_id": scope.team_id,
        "tmb_id": scope.tmb_id,
        "chat_id": record.chat_id,
        "app_id": scope.app_id,
        "obj": obj,
        "value": value,
        "time": now,
        "hide_in_ui": False,
        "total_points": 0.0,
        "is_feedback_read": False,
    }


def _insert_chat(
    writes: Writes, record: RoundRecord, now: datetime, *, status: int, variables: dict[str, Any], errors: int = 0
) -> None:
    scope = record.scope
    writes.add(
        INSERT_CHAT,
        {
            "id": new_id(),
            "chat_id": record.chat_id,
            "team_id": scope.team_id,
            "tmb_id": scope.tmb_id,
            "app_id": scope.app_id,
            "app_version_id": record.app_version_id,
            "title": record.title,
            "source": scope.source,
            "source_name": scope.source_name,
            "share_id": scope.share_id,
            "out_link_uid": scope.out_link_uid,
            "variables": variables,
            "variable_list": record.variable_list,
            "welcome_text": record.welcome_text,
            "metadata": record.metadata,
            "chat_generate_status": status,
            "has_been_read": False,
            "error_count": errors,
            "create_time": now,
            "update_time": now,
        },
    )
    _count_live(writes, scope.app_id, scope.team_id, scope)


def _count_live(writes: Writes, app_id: str, team_id: str, scope: ChatScope) -> None:
    """One more live chat of the scope's owner (`chat_counts`), in the transaction that creates or revives it."""
    writes.add_many(
        BUMP_CHAT_COUNT, count_changes(app_id, [(team_id, scope.tmb_id, scope.out_link_uid, scope.source)], 1)
    )


def _insert_question(writes: Writes, record: RoundRecord, now: datetime) -> None:
    if record.human_value is not None:  # None on an interactive resume: the question is the answer
        writes.add(INSERT_ITEM, _item_row(record, "Human", record.human_data_id, record.human_value, now))


def _owned(team_id: str, tmb_id: str, share_id: str | None, out_link_uid: str | None, scope: ChatScope) -> bool:
    if scope.share_id:
        return bool(share_id == scope.share_id and out_link_uid == scope.out_link_uid)
    if team_id != scope.team_id:
        return False
    return not scope.member_only or tmb_id == scope.tmb_id


class ChatStore:
    """Chat-round persistence. Each step is one unit of work run by `Database.run_read/run_write`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.finish_hooks: list[FinishHook] = []  # run inside the round's final transaction (analytics)

    async def load(self, scope: ChatScope, chat_id: str, history_limit: int) -> LoadedChat:
        def read(conn: Connection) -> LoadedChat:
            chat = conn.execute(
                select(
                    CHATS.c.team_id,
                    CHATS.c.tmb_id,
                    CHATS.c.share_id,
                    CHATS.c.out_link_uid,
                    CHATS.c.variables,
                    CHATS.c.title,
                    CHATS.c.delete_time,
                ).where(CHATS.c.app_id == scope.app_id, CHATS.c.chat_id == chat_id)
            ).one_or_none()
            if chat is None:
                return LoadedChat(exists=False)
            if not _owned(chat.team_id, chat.tmb_id, chat.share_id, chat.out_link_uid, scope):
                raise PermissionDenied(key="unAuthChat")
            if chat.delete_time is not None:
                return LoadedChat(exists=False)
            rows = conn.execute(
                select(CHAT_ITEMS.c.data_id, CHAT_ITEMS.c.obj, CHAT_ITEMS.c.value)
                .where(
                    CHAT_ITEMS.c.app_id == scope.app_id,
                    CHAT_ITEMS.c.chat_id == chat_id,
                    CHAT_ITEMS.c.delete_time.is_(None),
                )
                .order_by(CHAT_ITEMS.c.id.desc())
                .limit(history_limit)
            ).all()
            histories = [{"dataId": r.data_id, "obj": r.obj, "value": r.value} for r in reversed(rows)]
            return LoadedChat(exists=True, variables=dict(chat.variables or {}), histories=histories, title=chat.title)

        return await self.db.run_read(read, autocommit=True, short=True)  # the chat, then its items

    async def begin(self, record: RoundRecord) -> None:
        """Mark the chat generating (409 when it already is) and store the user's item."""
        scope = record.scope

        def write(conn: Connection) -> None:
            now = utcnow()
            writes = Writes(conn)
            chat = SELECT_CHAT_HEAD.first(conn, {"b_app_id": scope.app_id, "b_chat_id": record.chat_id})
            if chat is None:
                _insert_chat(writes, record, now, status=GENERATING, variables=record.variables)
            else:
                row_id, team_id, tmb_id, share_id, out_link_uid, delete_time = chat
                if not _owned(team_id, tmb_id, share_id, out_link_uid, scope):
                    raise PermissionDenied(key="unAuthChat")
                revived: dict[str, Any] = {}
                if delete_time is not None:  # a deleted chat id used again: a new conversation
                    revived = {
                        "tmb_id": scope.tmb_id,
                        "title": record.title,
                        "custom_title": "",
                        "top": False,
                        "create_time": now,
                        "source": scope.source,
                        "source_name": scope.source_name,
                        "share_id": scope.share_id,
                        "out_link_uid": scope.out_link_uid,
                        "variables": record.variables,
                        "variable_list": record.variable_list,
                        "welcome_text": record.welcome_text,
                        "metadata": record.metadata,
                        "has_good_feedback": False,
                        "has_bad_feedback": False,
                        "error_count": 0,
                    }
                    conn.execute(  # messages of the deleted conversation stay hidden
                        update(CHAT_ITEMS)
                        .where(
                            CHAT_ITEMS.c.app_id == scope.app_id,
                            CHAT_ITEMS.c.chat_id == record.chat_id,
                            CHAT_ITEMS.c.delete_time.is_(None),
                        )
                        .values(delete_time=now)
                    )
                claim = {
                    "b_id": row_id,
                    "b_stale": now - STALE_GENERATING,
                    "b_now": now,
                    "b_version": record.app_version_id,
                }
                if revived:
                    claimed = conn.execute(CLAIM_CHAT.values(**revived), claim).rowcount
                    if claimed:
                        _count_live(writes, scope.app_id, team_id, scope)
                else:
                    claimed = CLAIM_CHAT_PREPARED.execute(conn, claim)
                if claimed == 0:
                    raise Conflict("The chat is still generating an answer", key="chatIsGenerating")
            _insert_question(writes, record, now)
            writes.flush()

        try:
            await self.db.run_write(write)
        except IntegrityError as exc:  # a concurrent request created the same chat first
            raise Conflict("The chat is still generating an answer", key="chatIsGenerating") from exc

    async def finish(self, record: RoundRecord, outcome: RoundOutcome) -> None:
        await self.db.run_write(lambda conn: self._finish(conn, record, outcome))

    def _finish(self, conn: Connection, record: RoundRecord, outcome: RoundOutcome) -> None:
        now = utcnow()
        scope = record.scope
        status = FAILED if outcome.error else DONE
        if outcome.title and record.fresh:
            record.title = outcome.title
        elif outcome.title:  # FastGPT `canWriteGeneratedTitle`: never over a custom or an earlier title
            conn.execute(
                update(CHATS)
                .where(
                    CHATS.c.app_id == scope.app_id,
                    CHATS.c.chat_id == record.chat_id,
                    CHATS.c.custom_title == "",
                    CHATS.c.title == record.title,
                )
                .values(title=outcome.title)
            )
        writes = Writes(conn)  # PostgreSQL: the round's writes go out with the analytics' first statement
        items: list[dict[str, Any]] = []
        if record.fresh:
            _insert_chat(writes, record, now, status=status, variables=outcome.variables, errors=int(status == FAILED))
            if record.human_value is not None:
                items.append(_item_row(record, "Human", record.human_data_id, record.human_value, now))
        if record.resumed_item_data_id:
            writes.add_many(INSERT_ITEM, items)
            writes.flush()  # the resumed item is read next
            self._append_to_resumed(conn, record, outcome)
        else:
            row = _item_row(record, "AI", record.ai_data_id, outcome.ai_value, now)
            row.update(
                error_msg=outcome.error,
                duration_seconds=outcome.duration_seconds,
                total_points=outcome.total_points,
                custom_feedbacks=outcome.custom_feedbacks or None,
                memories=outcome.memories,
            )
            items.append(row)
            writes.add_many(INSERT_ITEM, items)
            writes.add(
                INSERT_RESPONSE,
                {
                    "id": new_id(),
                    "app_id": scope.app_id,
                    "chat_id": record.chat_id,
                    "chat_item_data_id": record.ai_data_id,
                    "data": outcome.responses,
                    "time": now,
                },
            )
        if not record.fresh:
            writes.add(
                FINISH_CHAT,
                {
                    "b_app_id": scope.app_id,
                    "b_chat_id": record.chat_id,
                    "b_variables": outcome.variables,
                    "b_now": now,
                    "b_status": status,
                    "b_errors": int(status == FAILED),
                },
            )
        if outcome.total_points > 0 or outcome.usage_items:
            writes.add(
                INSERT_USAGE,
                {
                    "id": new_id(),
                    "team_id": scope.team_id,
                    "tmb_id": scope.tmb_id,
                    "app_id": scope.app_id,
                    "source": outcome.usage_source,
                    "app_name": outcome.app_name,
                    "total_points": outcome.total_points,
                    "items": outcome.usage_items,
                    "create_time": now,
                },
            )
        if outcome.key_id and outcome.total_points > 0:
            writes.add(ADD_KEY_POINTS, {"b_id": outcome.key_id, "b_points": outcome.total_points})
        for hook in self.finish_hooks:
            hook(writes, record, outcome, now)
        writes.flush()

    def _append_to_resumed(self, conn: Connection, record: RoundRecord, outcome: RoundOutcome) -> None:
        scope = record.scope
        where = (
            CHAT_ITEMS.c.app_id == scope.app_id,
            CHAT_ITEMS.c.chat_id == record.chat_id,
            CHAT_ITEMS.c.data_id == record.resumed_item_data_id,
        )
        item = conn.execute(
            select(
                CHAT_ITEMS.c.value,
                CHAT_ITEMS.c.duration_seconds,
                CHAT_ITEMS.c.total_points,
                CHAT_ITEMS.c.custom_feedbacks,
                CHAT_ITEMS.c.error_msg,
            ).where(*where)
        ).one()
        value = list(item.value)
        if outcome.answer is not None:
            value = answer_interactive(value, outcome.answer)
        conn.execute(
            update(CHAT_ITEMS)
            .where(*where)
            .values(
                value=[*value, *outcome.ai_value],
                duration_seconds=round((item.duration_seconds or 0) + outcome.duration_seconds, 3),
                total_points=(item.total_points or 0) + outcome.total_points,
                error_msg=outcome.error or item.error_msg,
                custom_feedbacks=[*(item.custom_feedbacks or []), *outcome.custom_feedbacks] or None,
            )
        )
        response_where = (
            CHAT_ITEM_RESPONSES.c.app_id == scope.app_id,
            CHAT_ITEM_RESPONSES.c.chat_id == record.chat_id,
            CHAT_ITEM_RESPONSES.c.chat_item_data_id == record.resumed_item_data_id,
        )
        previous = conn.execute(
            select(CHAT_ITEM_RESPONSES.c.id, CHAT_ITEM_RESPONSES.c.data).where(*response_where)
        ).one_or_none()
        if previous is None:
            conn.execute(
                insert(CHAT_ITEM_RESPONSES).values(
                    id=new_id(),
                    app_id=scope.app_id,
                    chat_id=record.chat_id,
                    chat_item_data_id=record.resumed_item_data_id,
                    data=outcome.responses,
                    time=utcnow(),
                )
            )
        else:
            conn.execute(
                update(CHAT_ITEM_RESPONSES)
                .where(CHAT_ITEM_RESPONSES.c.id == previous.id)
                .values(data=[*previous.data, *outcome.responses])
            )

    async def fail(self, record: RoundRecord, error: str) -> None:
        """The run could not finish (an unexpected fault or a disconnect): keep the error on an AI item."""
        await self.finish(
            record,
            RoundOutcome(ai_value=[{"type": "text", "text": {"content": ""}}], variables=record.variables, error=error),
        )


def new_data_id() -> str:
    return nanoid(24)

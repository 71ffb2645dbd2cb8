"""`HistoryService`: the conversations of an app as its caller sees them.

Every operation first loads the app with the caller's access check (`appUnExist`, `unAuthApp`),
then the chat with the owner check (`unAuthChat`). Deletes are soft: the chat gets a
`delete_time` and so do its messages, so a chat id that is used again starts empty.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, Select, bindparam, func, select, update
from sqlalchemy.orm import Session

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import InvalidRequest, PermissionDenied
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.history import feedback, question_guide, quotes, read_status, records
from pyfastgpt.services.history.access import find_chat, owner_binds, owner_filter, owner_params, require_chat
from pyfastgpt.services.history.shapes import HISTORY_COLUMNS, HistoryRow, history_item
from pyfastgpt.store.models import Chat, ChatItem
from pyfastgpt.store.models.chat_counts import ANY, BUMP_SQL, ChatCount, count_changes
from pyfastgpt.store.prepared import Prepared

API_SOURCE = "api"
FILTERS: dict[str, ColumnElement[bool]] = {  # the optional conditions of a history list, by bind name
    "b_recent": Chat.update_time >= bindparam("b_recent"),
    "b_uid": Chat.out_link_uid == bindparam("b_uid"),
    "b_source": Chat.source == bindparam("b_source"),
    "b_created_from": Chat.create_time >= bindparam("b_created_from"),
    "b_created_to": Chat.create_time <= bindparam("b_created_to"),
    "b_updated_from": Chat.update_time >= bindparam("b_updated_from"),
    "b_updated_to": Chat.update_time <= bindparam("b_updated_to"),
}
TIME_FILTERS = ("b_created_from", "b_created_to", "b_updated_from", "b_updated_to")
COUNTER = Prepared(
    select(ChatCount.chats).where(
        ChatCount.app_id == bindparam("b_app"),
        ChatCount.team_id == bindparam("b_team"),
        ChatCount.tmb_id == bindparam("b_tmb"),
        ChatCount.out_link_uid == bindparam("b_counted_uid"),
        ChatCount.source == bindparam("b_counted_source"),
    )
)


@functools.cache
def _list_statements(visitor: bool, filters: tuple[str, ...], counted: bool) -> tuple[Prepared, Prepared]:
    """A history list's page, each row carrying the total (one statement: the total is an uncorrelated
    subquery, run once), and the total alone for a page without rows; compiled once per combination of
    conditions."""
    where = [Chat.app_id == bindparam("b_app"), *owner_binds(visitor), Chat.delete_time.is_(None),
             *(FILTERS[name] for name in filters)]  # fmt: skip
    total = COUNTER.statement if counted else select(func.count()).select_from(Chat).where(*where)
    assert isinstance(total, Select)
    page = Prepared(
        select(*HISTORY_COLUMNS, total.scalar_subquery())
        .where(*where)
        .order_by(Chat.top.desc(), Chat.update_time.desc(), Chat.id.desc())
        .offset(bindparam("b_offset", type_=Integer()))
        .limit(bindparam("b_limit", type_=Integer()))
    )
    return page, COUNTER if counted else Prepared(total)


MAX_BATCH = 1000


@dataclass(slots=True)
class HistoryQuery:
    app_id: str
    offset: int = 0
    page_size: int = 20
    source: str | None = None
    start_create_time: datetime | None = None
    end_create_time: datetime | None = None
    start_update_time: datetime | None = None
    end_update_time: datetime | None = None
    out_link_uid: str | None = None  # a key holder's end user (`customUid`/`outLinkUid`, FastGPT#3929)


@dataclass(slots=True)
class HistoryChanges:
    custom_title: str | None = None
    title: str | None = None
    top: bool | None = None


class HistoryService(
    records.RecordsMixin,
    feedback.FeedbackMixin,
    question_guide.QuestionGuideMixin,
    read_status.ReadStatusMixin,
    quotes.QuotesMixin,
):
    # -- conversations ------------------------------------------------------------------------

    async def list_histories(self, ctx: AuthContext, query: HistoryQuery) -> tuple[list[dict[str, Any]], int]:
        app = await self.app(ctx, query.app_id)
        visitor = ctx.share_id is not None
        params: dict[str, Any] = {"b_app": app.id, **owner_params(ctx), "b_offset": query.offset,
                                  "b_limit": query.page_size}  # fmt: skip
        if visitor:  # FastGPT lists a share-link visitor's chats of the last month
            params["b_recent"] = utcnow() - timedelta(days=30)
        elif query.out_link_uid:  # one end user of a backend that serves many through one key
            params["b_uid"] = query.out_link_uid
        for name, value in (("b_source", query.source), ("b_created_from", query.start_create_time),
                            ("b_created_to", query.end_create_time), ("b_updated_from", query.start_update_time),
                            ("b_updated_to", query.end_update_time)):  # fmt: skip
            if value:
                params[name] = value
        # Without a time range, `total` is the member's maintained counter (`chat_counts`): one row read
        # instead of counting every chat. A share-link visitor's list always has one (the last month).
        counted = not visitor and not any(name in params for name in TIME_FILTERS)
        if counted:
            params["b_counted_uid"], params["b_counted_source"] = query.out_link_uid or ANY, query.source or ANY
        page, count = _list_statements(visitor, tuple(name for name in FILTERS if name in params), counted)

        def read(conn: Connection) -> tuple[list[dict[str, Any]], int]:
            rows = page.all(conn, params)
            total = rows[0][-1] if rows else (found[0] if (found := count.first(conn, params)) else 0)
            return [history_item(HistoryRow(*row[:-1])) for row in rows], int(total or 0)

        return await self.db.run_read(read, autocommit=True, short=True)  # the page (with its total)

    async def update_history(self, ctx: AuthContext, app_id: str, chat_id: str, changes: HistoryChanges) -> None:
        app = await self.app(ctx, app_id)
        values: dict[str, Any] = {"update_time": utcnow()}
        if changes.custom_title is not None:
            values["custom_title"] = changes.custom_title[:400]
        if changes.title is not None:
            values["title"] = changes.title[:400]
        if changes.top is not None:
            values["top"] = changes.top

        def change(session: Session) -> None:
            chat = require_chat(session, ctx, app, chat_id)
            session.execute(update(Chat).where(Chat.id == chat.id).values(**values))

        await self.db.run_write_session(change)

    async def delete_history(self, ctx: AuthContext, app_id: str, chat_id: str) -> None:
        """Soft-delete one chat; deleting a chat that is already gone succeeds (DELETE is idempotent)."""
        app = await self.app(ctx, app_id)

        def delete(session: Session) -> None:
            chat = find_chat(session, ctx, app, chat_id)
            if chat is not None:
                _soft_delete(session, app.id, [chat.chat_id])

        await self.db.run_write_session(delete)

    async def clear_histories(self, ctx: AuthContext, app_id: str) -> int:
        """Soft-delete the caller's API chats of the app (FastGPT: an API key clears `source=api`)."""
        app = await self.app(ctx, app_id)
        mine = [
            Chat.app_id == app.id,
            *owner_filter(ctx),
            Chat.source == ("share" if ctx.share_id else API_SOURCE),
            Chat.delete_time.is_(None),
        ]
        return await self.db.run_write_session(lambda session: _soft_delete_where(session, app.id, mine))

    async def batch_delete(self, ctx: AuthContext, app_id: str, chat_ids: list[str]) -> int:
        """Log administration: soft-delete any chats of the app (root or a team-wide key only)."""
        app = await self.app(ctx, app_id)
        if not ctx.is_team_wide:
            raise PermissionDenied("Deleting chat logs needs the root key or a team API key", key="unAuthApp")
        if not chat_ids:
            raise InvalidRequest("chatIds is required and must be a non-empty array", key="invalidParams")
        if len(chat_ids) > MAX_BATCH:
            raise InvalidRequest(f"At most {MAX_BATCH} chatIds at once", key="invalidParams")
        listed = [
            Chat.app_id == app.id,
            Chat.team_id == ctx.team_id,
            Chat.chat_id.in_(chat_ids),
            Chat.delete_time.is_(None),
        ]
        return await self.db.run_write_session(lambda session: _soft_delete_where(session, app.id, listed))


def _soft_delete_where(session: Session, app_id: str, where: list[ColumnElement[bool]]) -> int:
    """Soft-delete the chats matching `where`; how many there were."""
    chat_ids = list(session.execute(select(Chat.chat_id).where(*where)).scalars())
    _soft_delete(session, app_id, chat_ids)
    return len(chat_ids)


def _soft_delete(session: Session, app_id: str, chat_ids: list[str]) -> None:
    """Stamp the live chats among `chat_ids` deleted, with their messages, and take them off `chat_counts`.

    The counters move by the rows the UPDATE itself changed (RETURNING), so a concurrent delete of the
    same chat cannot take it off twice.
    """
    if not chat_ids:
        return
    now = utcnow()
    for start in range(0, len(chat_ids), 500):
        batch = chat_ids[start : start + 500]
        gone = session.execute(
            update(Chat)
            .where(Chat.app_id == app_id, Chat.chat_id.in_(batch), Chat.delete_time.is_(None))
            .values(delete_time=now)
            .returning(Chat.team_id, Chat.tmb_id, Chat.out_link_uid, Chat.source)
            .execution_options(synchronize_session=False)
        ).all()
        changes = count_changes(app_id, [(r[0], r[1], r[2], r[3]) for r in gone], -1)
        if changes:
            session.execute(BUMP_SQL, changes)
        session.execute(
            update(ChatItem)
            .where(ChatItem.app_id == app_id, ChatItem.chat_id.in_(batch), ChatItem.delete_time.is_(None))
            .values(delete_time=now)
        )

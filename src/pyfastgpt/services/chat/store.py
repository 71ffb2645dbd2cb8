"""Persistence of chat rounds (FastGPT 4.16's preChatRound / finalizeChatRound, 4.11's value shapes).

A round is written in two transactions: before the run the chat is marked generating and the
user's item is stored (so a failed run still keeps the question); after it the AI item, the node
responses, the chat's title/variables/status and the usage are written together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import Conflict, PermissionDenied
from pyfastgpt.core.ids import nanoid
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey, Chat, ChatItem, ChatItemResponse, UsageRecord

GENERATING, DONE, FAILED = 0, 1, 2
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


def _item(row: ChatItem) -> dict[str, Any]:
    return {"dataId": row.data_id, "obj": row.obj, "value": row.value}


def _owned(chat: Chat, scope: ChatScope) -> bool:
    if scope.share_id:
        return chat.share_id == scope.share_id and chat.out_link_uid == scope.out_link_uid
    return chat.team_id == scope.team_id


class ChatStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def load(self, scope: ChatScope, chat_id: str, history_limit: int) -> LoadedChat:
        async with self.db.read() as session:
            chat = (
                await session.execute(select(Chat).where(Chat.app_id == scope.app_id, Chat.chat_id == chat_id))
            ).scalar_one_or_none()
            if chat is None:
                return LoadedChat(exists=False)
            if not _owned(chat, scope):
                raise PermissionDenied(key="unAuthChat")
            rows = list(
                (
                    await session.execute(
                        select(ChatItem)
                        .where(
                            ChatItem.app_id == scope.app_id,
                            ChatItem.chat_id == chat_id,
                            ChatItem.delete_time.is_(None),
                        )
                        .order_by(ChatItem.id.desc())
                        .limit(history_limit)
                    )
                ).scalars()
            )
        rows.reverse()
        return LoadedChat(
            exists=chat.delete_time is None,
            variables=dict(chat.variables or {}),
            histories=[_item(r) for r in rows] if chat.delete_time is None else [],
            title=chat.title,
        )

    async def begin(self, record: RoundRecord) -> None:
        """Mark the chat generating (409 when it already is) and store the user's item."""
        now = utcnow()
        scope = record.scope
        try:
            async with self.db.write() as session:
                chat = (
                    await session.execute(
                        select(Chat).where(Chat.app_id == scope.app_id, Chat.chat_id == record.chat_id)
                    )
                ).scalar_one_or_none()
                if chat is None:
                    session.add(
                        Chat(
                            chat_id=record.chat_id,
                            team_id=scope.team_id,
                            tmb_id=scope.tmb_id,
                            app_id=scope.app_id,
                            app_version_id=record.app_version_id,
                            title=record.title,
                            source=scope.source,
                            source_name=scope.source_name,
                            share_id=scope.share_id,
                            out_link_uid=scope.out_link_uid,
                            variables=record.variables,
                            variable_list=record.variable_list,
                            welcome_text=record.welcome_text,
                            meta=record.metadata,
                            chat_generate_status=GENERATING,
                            create_time=now,
                            update_time=now,
                        )
                    )
                else:
                    if not _owned(chat, scope):
                        raise PermissionDenied(key="unAuthChat")
                    claimed = await session.execute(
                        update(Chat)
                        .where(
                            Chat.id == chat.id,
                            or_(Chat.chat_generate_status != GENERATING, Chat.update_time < now - STALE_GENERATING),
                        )
                        .values(
                            chat_generate_status=GENERATING,
                            update_time=now,
                            delete_time=None,
                            app_version_id=record.app_version_id,
                        )
                    )
                    if claimed.rowcount == 0:  # type: ignore[attr-defined]
                        raise Conflict("The chat is still generating an answer", key="chatIsGenerating")
                if record.human_value is not None:
                    session.add(
                        ChatItem(
                            data_id=record.human_data_id,
                            team_id=scope.team_id,
                            tmb_id=scope.tmb_id,
                            chat_id=record.chat_id,
                            app_id=scope.app_id,
                            obj="Human",
                            value=record.human_value,
                            time=now,
                        )
                    )
        except IntegrityError as exc:  # a concurrent request created the same chat first
            raise Conflict("The chat is still generating an answer", key="chatIsGenerating") from exc

    async def finish(
        self,
        record: RoundRecord,
        *,
        ai_value: list[dict[str, Any]],
        responses: list[dict[str, Any]],
        variables: dict[str, Any],
        error: str | None,
        duration_seconds: float,
        total_points: float,
        usage_items: list[dict[str, Any]],
        custom_feedbacks: list[str],
        key_id: str | None,
        app_name: str,
        usage_source: str,
    ) -> None:
        now = utcnow()
        scope = record.scope
        async with self.db.write() as session:
            if record.resumed_item_data_id:
                item = (
                    await session.execute(
                        select(ChatItem).where(
                            ChatItem.app_id == scope.app_id,
                            ChatItem.chat_id == record.chat_id,
                            ChatItem.data_id == record.resumed_item_data_id,
                        )
                    )
                ).scalar_one()
                item.value = [*item.value, *ai_value]
                item.duration_seconds = round((item.duration_seconds or 0) + duration_seconds, 3)
                item.total_points = (item.total_points or 0) + total_points
                if error:
                    item.error_msg = error
                if custom_feedbacks:
                    item.custom_feedbacks = [*(item.custom_feedbacks or []), *custom_feedbacks]
                previous = (
                    await session.execute(
                        select(ChatItemResponse).where(
                            ChatItemResponse.app_id == scope.app_id,
                            ChatItemResponse.chat_id == record.chat_id,
                            ChatItemResponse.chat_item_data_id == item.data_id,
                        )
                    )
                ).scalar_one_or_none()
                if previous is None:
                    session.add(
                        ChatItemResponse(
                            app_id=scope.app_id, chat_id=record.chat_id, chat_item_data_id=item.data_id, data=responses
                        )
                    )
                else:
                    previous.data = [*previous.data, *responses]
            else:
                session.add(
                    ChatItem(
                        data_id=record.ai_data_id,
                        team_id=scope.team_id,
                        tmb_id=scope.tmb_id,
                        chat_id=record.chat_id,
                        app_id=scope.app_id,
                        obj="AI",
                        value=ai_value,
                        error_msg=error,
                        duration_seconds=duration_seconds,
                        total_points=total_points,
                        custom_feedbacks=custom_feedbacks or None,
                        time=now,
                    )
                )
                session.add(
                    ChatItemResponse(
                        app_id=scope.app_id, chat_id=record.chat_id, chat_item_data_id=record.ai_data_id, data=responses
                    )
                )
            chat_values: dict[str, Any] = {
                "variables": variables,
                "update_time": now,
                "chat_generate_status": FAILED if error else DONE,
            }
            if error:
                chat_values["error_count"] = Chat.error_count + 1
            await session.execute(
                update(Chat)
                .where(and_(Chat.app_id == scope.app_id, Chat.chat_id == record.chat_id))
                .values(**chat_values)
            )
            if total_points > 0 or usage_items:
                session.add(
                    UsageRecord(
                        team_id=scope.team_id,
                        tmb_id=scope.tmb_id,
                        app_id=scope.app_id,
                        source=usage_source,
                        app_name=app_name,
                        total_points=total_points,
                        items=usage_items,
                    )
                )
            if key_id and total_points > 0:
                await session.execute(
                    update(ApiKey).where(ApiKey.id == key_id).values(usage_points=ApiKey.usage_points + total_points)
                )

    async def answer_interaction(
        self,
        record: RoundRecord,
        answer: str,
        apply: Callable[[list[dict[str, Any]], str], list[dict[str, Any]]],
    ) -> None:
        """Write the user's answer into the pending interaction of the resumed AI item."""
        async with self.db.write() as session:
            item = (
                await session.execute(
                    select(ChatItem).where(
                        ChatItem.app_id == record.scope.app_id,
                        ChatItem.chat_id == record.chat_id,
                        ChatItem.data_id == record.resumed_item_data_id,
                    )
                )
            ).scalar_one()
            item.value = apply(item.value, answer)

    async def fail(self, record: RoundRecord, error: str) -> None:
        """The run could not finish (an unexpected fault): keep the error on an AI item."""
        await self.finish(
            record,
            ai_value=[{"type": "text", "text": {"content": ""}}],
            responses=[],
            variables=record.variables,
            error=error,
            duration_seconds=0.0,
            total_points=0.0,
            usage_items=[],
            custom_feedbacks=[],
            key_id=None,
            app_name="",
            usage_source="api",
        )


def new_data_id() -> str:
    return nanoid(24)

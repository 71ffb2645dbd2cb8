"""Sidebar sync: the generate/read status of many chats at once, and marking one chat read
(FastGPT 4.15 `history/getHistoryStatus`, `history/markRead`).

A round marks its chat unread when it starts and again when it ends (done or error); a client
that has shown the answer calls `markRead`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pyfastgpt.core.clock import iso, utcnow
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.history.access import find_chat, owner_filter
from pyfastgpt.services.history.base import HistoryBase
from pyfastgpt.store.models import Chat

MAX_STATUS_IDS = 200
SHARE_WINDOW = timedelta(days=30)


def status_item(chat_id: str, update_time: Any, status: int, read: bool | None) -> dict[str, Any]:
    item: dict[str, Any] = {"chatId": chat_id, "updateTime": iso(update_time), "chatGenerateStatus": status}
    if read is not None:
        item["hasBeenRead"] = read
    return item


class ReadStatusMixin(HistoryBase):
    async def history_status(self, ctx: AuthContext, app_id: str, chat_ids: list[str]) -> list[dict[str, Any]]:
        """The caller's chats among `chat_ids`; unknown, foreign and deleted ones are left out."""
        where = [Chat.chat_id.in_(chat_ids), Chat.delete_time.is_(None), *owner_filter(ctx)]
        if ctx.share_id is not None:  # FastGPT: a visitor's chats of the link, of the last month
            where.append(Chat.update_time >= utcnow() - SHARE_WINDOW)
        else:
            if not (app_id or ctx.key_app_id or ctx.suffix_app_id):
                return []  # FastGPT answers an empty list without an app
            app = await self.app(ctx, app_id)
            where.append(Chat.app_id == app.id)
        async with self.db.read() as session:
            rows = await session.execute(
                select(Chat.chat_id, Chat.update_time, Chat.chat_generate_status, Chat.has_been_read).where(*where)
            )
            return [status_item(*row) for row in rows]

    async def mark_read(self, ctx: AuthContext, app_id: str, chat_id: str) -> None:
        """Mark the chat read (and touch its update time); a chat that does not exist is no error."""
        app = await self.app(ctx, app_id)

        def mark(session: Session) -> None:
            chat = find_chat(session, ctx, app, chat_id)
            if chat is not None:
                session.execute(update(Chat).where(Chat.id == chat.id).values(has_been_read=True, update_time=utcnow()))

        await self.db.run_write_session(mark)

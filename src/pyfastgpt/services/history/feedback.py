"""Votes, custom feedback and admin corrections on messages.

A vote is present when its string is (FastGPT: an omitted field is `$unset`). The chat's
`has_good_feedback`/`has_bad_feedback` flags and the analytics counters follow each change in the
same write unit (`services.analytics.chat_logs.adjust_feedback`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pyfastgpt.services.analytics.chat_logs import adjust_feedback
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.history.access import require_chat, require_item
from pyfastgpt.services.history.base import HistoryBase
from pyfastgpt.store.models import Chat, ChatItem


@dataclass(slots=True)
class AdminFeedback:
    dataset_id: str
    collection_id: str
    data_id: str
    q: str
    a: str = ""


def _count_votes(session: Session, chat: Chat, column: Any) -> int:
    query = (
        select(func.count())
        .select_from(ChatItem)
        .where(
            ChatItem.app_id == chat.app_id,
            ChatItem.chat_id == chat.chat_id,
            ChatItem.delete_time.is_(None),
            column.is_not(None),
        )
    )
    return int(session.execute(query).scalar_one())


class FeedbackMixin(HistoryBase):
    async def update_user_feedback(
        self,
        ctx: AuthContext,
        app_id: str,
        chat_id: str,
        data_id: str,
        *,
        good: str | None,
        bad: str | None,
    ) -> None:
        app = await self.app(ctx, app_id)

        def vote(session: Session) -> None:
            chat = require_chat(session, ctx, app, chat_id)
            item = require_item(session, chat, data_id)
            good_delta = int(good is not None) - int(item.user_good_feedback is not None)
            bad_delta = int(bad is not None) - int(item.user_bad_feedback is not None)
            session.execute(
                update(ChatItem)
                .where(ChatItem.id == item.id)
                .values(user_good_feedback=good, user_bad_feedback=bad, is_feedback_read=False)
            )
            session.execute(
                update(Chat)
                .where(Chat.id == chat.id)
                .values(
                    has_good_feedback=_count_votes(session, chat, ChatItem.user_good_feedback) > 0,
                    has_bad_feedback=_count_votes(session, chat, ChatItem.user_bad_feedback) > 0,
                )
            )
            adjust_feedback(
                session.connection(),
                app_id=chat.app_id,
                chat_id=chat.chat_id,
                good_delta=good_delta,
                bad_delta=bad_delta,
            )

        await self.db.run_write_session(vote)

    async def close_custom_feedback(
        self, ctx: AuthContext, app_id: str, chat_id: str, data_id: str, index: int
    ) -> None:
        """Remove the custom feedback at `index` (one that is not there is ignored)."""
        app = await self.app(ctx, app_id)

        def close(session: Session) -> None:
            item = require_item(session, require_chat(session, ctx, app, chat_id), data_id)
            feedbacks = list(item.custom_feedbacks or [])
            if 0 <= index < len(feedbacks):
                del feedbacks[index]
                session.execute(update(ChatItem).where(ChatItem.id == item.id).values(custom_feedbacks=feedbacks))

        await self.db.run_write_session(close)

    async def admin_update(
        self, ctx: AuthContext, app_id: str, chat_id: str, data_id: str, feedback: AdminFeedback
    ) -> None:
        """Store an admin's correction of an answer (the dataset entry is written by the caller)."""
        app = await self.app(ctx, app_id)
        value = {
            "datasetId": feedback.dataset_id,
            "collectionId": feedback.collection_id,
            "dataId": feedback.data_id,
            "q": feedback.q,
            "a": feedback.a,
        }

        def correct(session: Session) -> None:
            item = require_item(session, require_chat(session, ctx, app, chat_id), data_id)
            session.execute(update(ChatItem).where(ChatItem.id == item.id).values(admin_feedback=value))

        await self.db.run_write_session(correct)

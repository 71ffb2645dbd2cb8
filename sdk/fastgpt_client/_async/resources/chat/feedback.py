"""``client.chat.feedback`` ↔ ``/api/core/chat/feedback/{updateUserFeedback,closeCustom,adminUpdate}`` and
the question guide ``/api/core/ai/agent/v2/createQuestionGuide`` (v1: ``/api/core/ai/agent/createQuestionGuide``).

FastGPT paths: ``projects/app/src/pages/api/core/chat/feedback/*.ts``,
``projects/app/src/pages/api/core/ai/agent/v2/createQuestionGuide.ts``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._async.resources.chat.histories import visitor
from fastgpt_client._types import NOT_GIVEN, NotGivenOr


class AsyncFeedback(AsyncAPIResource):
    """Votes on answers, custom-feedback marks, admin corrections, follow-up questions."""

    async def update_user_feedback(
        self,
        app_id: str,
        chat_id: str,
        data_id: str,
        *,
        user_good_feedback: NotGivenOr[str | None] = NOT_GIVEN,
        user_bad_feedback: NotGivenOr[str | None] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> None:
        """Vote on an AI message; a vote left out (or ``None``) is cleared, as in FastGPT."""
        body = {
            "appId": app_id,
            "chatId": chat_id,
            "dataId": data_id,
            "userGoodFeedback": user_good_feedback,
            "userBadFeedback": user_bad_feedback,
        }
        await self._post("/api/core/chat/feedback/updateUserFeedback", body=body, **visitor(out_link_auth_data))

    async def close_custom(self, app_id: str, chat_id: str, data_id: str, *, index: int) -> None:
        """Mark the ``index``-th custom feedback of a message as handled (removes it)."""
        body = {"appId": app_id, "chatId": chat_id, "dataId": data_id, "index": index}
        await self._post("/api/core/chat/feedback/closeCustom", body=body)

    async def admin_update(
        self,
        app_id: str,
        chat_id: str,
        data_id: str,
        *,
        dataset_id: str,
        collection_id: str,
        q: str,
        a: str = "",
        feedback_data_id: NotGivenOr[str] = NOT_GIVEN,
    ) -> None:
        """Attach an admin's corrected answer (stored as ``adminFeedback``) to a message."""
        body = {
            "appId": app_id,
            "chatId": chat_id,
            "dataId": data_id,
            "datasetId": dataset_id,
            "collectionId": collection_id,
            "feedbackDataId": feedback_data_id,
            "q": q,
            "a": a,
        }
        await self._post("/api/core/chat/feedback/adminUpdate", body=body)

    async def question_guide(
        self,
        app_id: str,
        chat_id: str,
        *,
        question_guide: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> list[str]:
        """Suggested follow-up questions for a stored conversation (v2).

        ``question_guide`` may hold ``open``, ``model`` and ``customPrompt`` (else the app's setting).
        """
        body = {
            "appId": app_id,
            "chatId": chat_id,
            "questionGuide": dict(question_guide) if isinstance(question_guide, Mapping) else question_guide,
        }
        return cast(list[str], await self._post("/api/core/ai/agent/v2/createQuestionGuide", body=body))

    async def question_guide_from_messages(self, messages: Sequence[Mapping[str, Any]]) -> list[str]:
        """Suggested follow-up questions for messages sent in the request (v1 route)."""
        body = {"messages": [dict(message) for message in messages]}
        return cast(list[str], await self._post("/api/core/ai/agent/createQuestionGuide", body=body))

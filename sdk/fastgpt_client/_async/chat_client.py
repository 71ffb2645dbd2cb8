"""``AsyncChatClient``: the seed SDK's chat methods (each returns the ``httpx.Response``).

Each is a thin wrapper over a resource (``chat.histories``, ``chat.records``, ``chat.feedback``,
``chat.completions``) called in raw-response mode, keeping the seed's names, defaults and bodies.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

import httpx

from fastgpt_client._async.chat_files import AsyncChatFiles
from fastgpt_client._exceptions import ValidationError
from fastgpt_client._types import NOT_GIVEN, NotGivenOr

_T = TypeVar("_T")


def _given(value: _T | None) -> NotGivenOr[_T]:
    """The seed SDK left ``None`` arguments out of the body."""
    return NOT_GIVEN if value is None else value


def chat_completion_payload(
    messages: list[dict[str, Any]],
    stream: bool,
    chat_id: str | None,
    detail: bool,
    variables: dict[str, Any] | None,
    response_chat_item_id: str | None,
) -> dict[str, Any]:
    """The seed SDK's completion body: optional fields only when truthy."""
    data: dict[str, Any] = {"messages": messages, "stream": stream, "detail": detail}
    if chat_id:
        data["chatId"] = chat_id
    if variables:
        data["variables"] = variables
    if response_chat_item_id:
        data["responseChatItemId"] = response_chat_item_id
    return data


class AsyncChatClient(AsyncChatFiles):
    """Chat operations: completions, histories, records, feedback, question guide, chat files.

    ::

        async with AsyncChatClient(api_key="fastgpt-…") as client:
            response = await client.create_chat_completion(messages=[{"role": "user", "content": "Hi"}])
            print(response.json()["choices"][0]["message"]["content"])
    """

    async def create_chat_completion(
        self,
        messages: list[dict[str, Any]],
        stream: bool = False,
        chatId: str | None = None,
        detail: bool = False,
        variables: dict[str, Any] | None = None,
        responseChatItemId: str | None = None,
        *,
        image_input_mode: Literal["base64", "upload"] = "base64",
        appId: str | None = None,
        outLinkAuthData: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """POST ``/api/v1/chat/completions``; with ``stream=True`` the body is left unread.

        ``image_input_mode="upload"`` (needs ``appId`` and ``chatId``) uploads inline base64
        ``image_url`` parts and swaps in the hosted URL, falling back to inline data on failure.
        """
        self._validate_params(messages=messages)
        if image_input_mode == "upload":
            if not appId or not chatId:
                raise ValidationError("image_input_mode='upload' requires both appId and chatId")
            messages = await self._resolve_image_inputs(
                messages, appId=appId, chatId=chatId, outLinkAuthData=outLinkAuthData
            )
        elif image_input_mode != "base64":
            raise ValidationError("image_input_mode must be 'base64' or 'upload'")
        data = chat_completion_payload(messages, stream, chatId, detail, variables, responseChatItemId)
        completions = self.chat.completions._raw()
        await completions._send_body(data, stream=stream)
        return completions._response()

    async def get_chat_histories(
        self,
        appId: str,
        offset: int = 0,
        pageSize: int = 20,
        source: Literal["api", "online", "share", "test"] = "api",
    ) -> httpx.Response:
        """POST ``/api/core/chat/getHistories``: the app's conversations (``chat.histories.list``)."""
        histories = self.chat.histories._raw()
        await histories.list(appId, offset=offset, page_size=pageSize, source=source)
        return histories._response()

    async def get_chat_init(self, appId: str, chatId: str) -> httpx.Response:
        """GET ``/api/core/chat/init``: app config and variables of a conversation (``chat.histories.init``)."""
        histories = self.chat.histories._raw()
        await histories.init(appId, chatId)
        return histories._response()

    async def get_chat_records(
        self,
        appId: str,
        chatId: str,
        offset: int = 0,
        pageSize: int = 10,
        loadCustomFeedbacks: bool = False,
    ) -> httpx.Response:
        """POST ``/api/core/chat/getPaginationRecords``: messages of a conversation (``chat.records.list``)."""
        records = self.chat.records._raw()
        await records.list(appId, chatId, offset=offset, page_size=pageSize, load_custom_feedbacks=loadCustomFeedbacks)
        return records._response()

    async def get_record_detail(self, appId: str, chatId: str, dataId: str) -> httpx.Response:
        """GET ``/api/core/chat/getResData``: node responses of one answer (``chat.records.response_data``)."""
        records = self.chat.records._raw()
        await records.response_data(appId, chatId, dataId)
        return records._response()

    async def update_chat_history(
        self,
        appId: str,
        chatId: str,
        customTitle: str | None = None,
        top: bool | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/chat/updateHistory``: rename or pin a conversation (``chat.histories.update``)."""
        histories = self.chat.histories._raw()
        await histories.update(appId, chatId, custom_title=_given(customTitle), top=_given(top))
        return histories._response()

    async def delete_chat_history(self, appId: str, chatId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/delHistory``: remove a conversation (``chat.histories.delete``)."""
        histories = self.chat.histories._raw()
        await histories.delete(appId, chatId)
        return histories._response()

    async def clear_chat_histories(self, appId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/clearHistories``: remove the app's API conversations (``chat.histories.clear``)."""
        histories = self.chat.histories._raw()
        await histories.clear(appId)
        return histories._response()

    async def delete_chat_record(self, appId: str, chatId: str, contentId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/item/delete``: remove one message (``chat.records.delete``)."""
        records = self.chat.records._raw()
        await records.delete(appId, chatId, contentId)
        return records._response()

    async def send_feedback(
        self,
        appId: str,
        chatId: str,
        dataId: str,
        userGoodFeedback: str | None = None,
        userBadFeedback: str | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/chat/feedback/updateUserFeedback``; an omitted vote is cleared (``chat.feedback``)."""
        feedback = self.chat.feedback._raw()
        await feedback.update_user_feedback(
            appId,
            chatId,
            dataId,
            user_good_feedback=_given(userGoodFeedback),
            user_bad_feedback=_given(userBadFeedback),
        )
        return feedback._response()

    async def get_suggested_questions(
        self,
        appId: str,
        chatId: str,
        questionGuide: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/ai/agent/v2/createQuestionGuide``: follow-up questions (``chat.feedback.question_guide``)."""
        feedback = self.chat.feedback._raw()
        await feedback.question_guide(appId, chatId, question_guide=questionGuide if questionGuide else NOT_GIVEN)
        return feedback._response()

    async def create_question_guide(
        self, appId: str, chatId: str, questionGuide: dict[str, Any] | None = None
    ) -> httpx.Response:
        """Alias of :meth:`get_suggested_questions` (FastGPT's route name)."""
        return await self.get_suggested_questions(appId, chatId, questionGuide)


__all__ = ["AsyncChatClient"]

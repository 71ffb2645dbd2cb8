"""``AsyncChatClient``: the seed SDK's chat methods (each returns the ``httpx.Response``)."""

from __future__ import annotations

from typing import Any, Literal

import httpx

from fastgpt_client._async.chat_files import AsyncChatFiles
from fastgpt_client._exceptions import ValidationError


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
        return await self._send_request("POST", "/api/v1/chat/completions", json=data, stream=stream)

    async def get_chat_histories(
        self,
        appId: str,
        offset: int = 0,
        pageSize: int = 20,
        source: Literal["api", "online", "share", "test"] = "api",
    ) -> httpx.Response:
        """POST ``/api/core/chat/getHistories``: the app's conversations."""
        data = {"appId": appId, "offset": offset, "pageSize": pageSize, "source": source}
        return await self._send_request("POST", "/api/core/chat/getHistories", json=data, idempotent=True)

    async def get_chat_init(self, appId: str, chatId: str) -> httpx.Response:
        """GET ``/api/core/chat/init``: app config and variables of a conversation."""
        params = {"appId": appId, "chatId": chatId}
        return await self._send_request("GET", "/api/core/chat/init", params=params)

    async def get_chat_records(
        self,
        appId: str,
        chatId: str,
        offset: int = 0,
        pageSize: int = 10,
        loadCustomFeedbacks: bool = False,
    ) -> httpx.Response:
        """POST ``/api/core/chat/getPaginationRecords``: messages of a conversation."""
        data = {
            "appId": appId,
            "chatId": chatId,
            "offset": offset,
            "pageSize": pageSize,
            "loadCustomFeedbacks": loadCustomFeedbacks,
        }
        return await self._send_request("POST", "/api/core/chat/getPaginationRecords", json=data, idempotent=True)

    async def get_record_detail(self, appId: str, chatId: str, dataId: str) -> httpx.Response:
        """GET ``/api/core/chat/getResData``: node responses of one answer."""
        params = {"appId": appId, "chatId": chatId, "dataId": dataId}
        return await self._send_request("GET", "/api/core/chat/getResData", params=params)

    async def update_chat_history(
        self,
        appId: str,
        chatId: str,
        customTitle: str | None = None,
        top: bool | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/chat/updateHistory``: rename or pin a conversation."""
        data: dict[str, Any] = {"appId": appId, "chatId": chatId}
        if customTitle is not None:
            data["customTitle"] = customTitle
        if top is not None:
            data["top"] = top
        return await self._send_request("POST", "/api/core/chat/updateHistory", json=data)

    async def delete_chat_history(self, appId: str, chatId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/delHistory``: remove a conversation."""
        params = {"appId": appId, "chatId": chatId}
        return await self._send_request("DELETE", "/api/core/chat/delHistory", params=params)

    async def clear_chat_histories(self, appId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/clearHistories``: remove the app's API conversations."""
        return await self._send_request("DELETE", "/api/core/chat/clearHistories", params={"appId": appId})

    async def delete_chat_record(self, appId: str, chatId: str, contentId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/item/delete``: remove one message (ids sent in body and query)."""
        data = {"appId": appId, "chatId": chatId, "contentId": contentId}
        return await self._send_request("DELETE", "/api/core/chat/item/delete", json=data, params=dict(data))

    async def send_feedback(
        self,
        appId: str,
        chatId: str,
        dataId: str,
        userGoodFeedback: str | None = None,
        userBadFeedback: str | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/chat/feedback/updateUserFeedback``; an omitted vote is cleared."""
        data: dict[str, Any] = {"appId": appId, "chatId": chatId, "dataId": dataId}
        if userGoodFeedback is not None:
            data["userGoodFeedback"] = userGoodFeedback
        if userBadFeedback is not None:
            data["userBadFeedback"] = userBadFeedback
        return await self._send_request("POST", "/api/core/chat/feedback/updateUserFeedback", json=data)

    async def get_suggested_questions(
        self,
        appId: str,
        chatId: str,
        questionGuide: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/ai/agent/v2/createQuestionGuide``: follow-up questions for a chat."""
        data: dict[str, Any] = {"appId": appId, "chatId": chatId}
        if questionGuide:
            data["questionGuide"] = questionGuide
        return await self._send_request("POST", "/api/core/ai/agent/v2/createQuestionGuide", json=data)

    async def create_question_guide(
        self, appId: str, chatId: str, questionGuide: dict[str, Any] | None = None
    ) -> httpx.Response:
        """Alias of :meth:`get_suggested_questions` (FastGPT's route name)."""
        return await self.get_suggested_questions(appId, chatId, questionGuide)


__all__ = ["AsyncChatClient"]

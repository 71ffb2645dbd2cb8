"""``client.chat.histories`` ↔ ``/api/core/chat/{getHistories,updateHistory,delHistory,clearHistories}``,
``/api/core/chat/history/batchDelete``, ``GET /api/core/chat/init`` and ``GET /api/core/chat/outLink/init``.

FastGPT paths: ``projects/app/src/pages/api/core/chat/history/*.ts``, ``core/chat/init.ts``,
``core/chat/outLink/init.ts``. A call given ``out_link_auth_data`` (``{"shareId", "outLinkUid"}``) is
made as that share-link visitor: the API key is not sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGiven, NotGivenOr
from fastgpt_client.types import ChatHistory, ChatInit, ChatSource, Page


def visitor(out_link_auth_data: NotGivenOr[Mapping[str, Any]]) -> dict[str, Any]:
    """Request arguments for a share-link visitor: the auth data in the body, no API key."""
    if isinstance(out_link_auth_data, NotGiven):
        return {}
    return {"extra_body": {"outLinkAuthData": dict(out_link_auth_data)}, "authenticated": False}


def visitor_query(out_link_auth_data: NotGivenOr[Mapping[str, Any]]) -> dict[str, Any]:
    """The same for GET/DELETE routes: ``shareId`` and ``outLinkUid`` in the query string."""
    if isinstance(out_link_auth_data, NotGiven):
        return {}
    return {"extra_query": dict(out_link_auth_data), "authenticated": False}


class AsyncHistories(AsyncAPIResource):
    """The conversations of an app: list (paged), rename/pin, delete, clear, open."""

    async def list(
        self,
        app_id: str,
        *,
        offset: NotGivenOr[int] = NOT_GIVEN,
        page_num: NotGivenOr[int] = NOT_GIVEN,
        page_size: int = 20,
        source: NotGivenOr[ChatSource] = NOT_GIVEN,
        start_create_time: NotGivenOr[str] = NOT_GIVEN,
        end_create_time: NotGivenOr[str] = NOT_GIVEN,
        start_update_time: NotGivenOr[str] = NOT_GIVEN,
        end_update_time: NotGivenOr[str] = NOT_GIVEN,
        custom_uid: NotGivenOr[str] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> Page[ChatHistory]:
        """One page, pinned first then newest; ``offset`` or ``page_num`` (from 1) picks the page.
        ``custom_uid`` lists one end user's chats (the ``customUid`` their completions were sent with)."""
        body = {
            "appId": app_id,
            "offset": offset,
            "pageNum": page_num,
            "pageSize": page_size,
            "source": source,
            "startCreateTime": start_create_time,
            "endCreateTime": end_create_time,
            "startUpdateTime": start_update_time,
            "endUpdateTime": end_update_time,
            "customUid": custom_uid,
        }
        return cast(
            Page[ChatHistory],
            await self._post("/api/core/chat/getHistories", body=body, read_only=True, **visitor(out_link_auth_data)),
        )

    def list_all(
        self,
        app_id: str,
        *,
        page_size: int = 50,
        source: NotGivenOr[ChatSource] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> AsyncIterator[ChatHistory]:
        """Every conversation, ``page_size`` per request (``offset`` paging)."""

        async def fetch(request: PageRequest) -> Page[ChatHistory]:
            return await self.list(
                app_id,
                offset=request.offset,
                page_size=request.page_size,
                source=source,
                out_link_auth_data=out_link_auth_data,
            )

        return iterate_pages(fetch, PageCursor("offset", page_size))

    async def update(
        self,
        app_id: str,
        chat_id: str,
        *,
        custom_title: NotGivenOr[str] = NOT_GIVEN,
        top: NotGivenOr[bool] = NOT_GIVEN,
        title: NotGivenOr[str] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> None:
        """Rename (``custom_title``) or pin (``top``) a conversation."""
        body = {"appId": app_id, "chatId": chat_id, "customTitle": custom_title, "top": top, "title": title}
        await self._post("/api/core/chat/updateHistory", body=body, **visitor(out_link_auth_data))

    async def delete(
        self, app_id: str, chat_id: str, *, out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN
    ) -> None:
        """Delete one conversation (soft delete, as FastGPT does)."""
        query = {"appId": app_id, "chatId": chat_id}
        await self._delete("/api/core/chat/delHistory", query=query, **visitor_query(out_link_auth_data))

    async def clear(self, app_id: str, *, out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN) -> None:
        """Delete every conversation the caller can see (for an API key: the ``api`` ones)."""
        await self._delete(
            "/api/core/chat/clearHistories", query={"appId": app_id}, **visitor_query(out_link_auth_data)
        )

    async def status(
        self, app_id: str, chat_ids: Sequence[str], *, out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN
    ) -> Sequence[dict[str, Any]]:
        """``history/getHistoryStatus``: ``{chatId, updateTime, chatGenerateStatus, hasBeenRead}`` per chat (≤ 200)."""
        body = {"appId": app_id, "chatIds": [str(chat_id) for chat_id in chat_ids]}
        data = await self._post(
            "/api/core/chat/history/getHistoryStatus", body=body, read_only=True, **visitor(out_link_auth_data)
        )
        return cast(Sequence[dict[str, Any]], cast(dict[str, Any], data)["list"])

    async def mark_read(
        self, app_id: str, chat_id: str, *, out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN
    ) -> None:
        """``history/markRead``: the chat's latest answer has been seen."""
        body = {"appId": app_id, "chatId": chat_id}
        await self._post("/api/core/chat/history/markRead", body=body, **visitor(out_link_auth_data))

    async def batch_delete(self, app_id: str, chat_ids: Sequence[str]) -> None:
        """Delete several conversations of an app at once (``history/batchDelete``)."""
        body = {"appId": app_id, "chatIds": [str(chat_id) for chat_id in chat_ids]}
        await self._post("/api/core/chat/history/batchDelete", body=body)

    async def init(self, app_id: str, chat_id: NotGivenOr[str] = NOT_GIVEN) -> ChatInit:
        """The app's chat settings plus the chat's title and variables (a new chat when not given)."""
        return cast(ChatInit, await self._get("/api/core/chat/init", query={"appId": app_id, "chatId": chat_id}))

    async def init_out_link(
        self, *, share_id: str, out_link_uid: str, chat_id: NotGivenOr[str] = NOT_GIVEN
    ) -> ChatInit:
        """What a share-link visitor sees on opening the link (sent without the API key)."""
        query = {"shareId": share_id, "outLinkUid": out_link_uid, "chatId": chat_id}
        return cast(ChatInit, await self._get("/api/core/chat/outLink/init", query=query, authenticated=False))

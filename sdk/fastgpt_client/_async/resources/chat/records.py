"""``client.chat.records`` ↔ the messages of a conversation: ``/api/core/chat/getPaginationRecords``,
``/api/core/chat/record/getRecords_v2``, ``GET /api/core/chat/getResData``, ``DELETE /api/core/chat/item/delete``.

FastGPT paths: ``projects/app/src/pages/api/core/chat/record/*.ts`` (``getPaginationRecords`` counts
``offset`` back from the newest message and answers each page oldest first).
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping
from typing import Any, cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._async.resources.chat.histories import visitor, visitor_query
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import ChatRecord, Page, RecordsCursorPage


class AsyncRecords(AsyncAPIResource):
    """Read, page through and delete the messages of a conversation."""

    async def list(
        self,
        app_id: str,
        chat_id: str,
        *,
        offset: NotGivenOr[int] = NOT_GIVEN,
        page_num: NotGivenOr[int] = NOT_GIVEN,
        page_size: int = 10,
        load_custom_feedbacks: NotGivenOr[bool] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> Page[ChatRecord]:
        """One page of messages; ``offset`` counts back from the newest, each page is oldest first."""
        body = {
            "appId": app_id,
            "chatId": chat_id,
            "offset": offset,
            "pageNum": page_num,
            "pageSize": page_size,
            "loadCustomFeedbacks": load_custom_feedbacks,
        }
        return cast(
            Page[ChatRecord],
            await self._post(
                "/api/core/chat/getPaginationRecords", body=body, read_only=True, **visitor(out_link_auth_data)
            ),
        )

    def list_all(
        self,
        app_id: str,
        chat_id: str,
        *,
        page_size: int = 50,
        load_custom_feedbacks: NotGivenOr[bool] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> AsyncIterator[ChatRecord]:
        """Every message, newest page first (``offset`` paging; within a page, oldest first)."""

        async def fetch(request: PageRequest) -> Page[ChatRecord]:
            return await self.list(
                app_id,
                chat_id,
                offset=request.offset,
                page_size=request.page_size,
                load_custom_feedbacks=load_custom_feedbacks,
                out_link_auth_data=out_link_auth_data,
            )

        return iterate_pages(fetch, PageCursor("offset", page_size))

    async def list_v2(
        self,
        app_id: str,
        chat_id: str,
        *,
        page_size: int = 10,
        initial_id: NotGivenOr[str] = NOT_GIVEN,
        prev_id: NotGivenOr[str] = NOT_GIVEN,
        next_id: NotGivenOr[str] = NOT_GIVEN,
        load_custom_feedbacks: NotGivenOr[bool] = NOT_GIVEN,
    ) -> RecordsCursorPage:
        """Cursor paging (``getRecords_v2``): the newest page, or the page around/before/after a message id."""
        body = {
            "appId": app_id,
            "chatId": chat_id,
            "pageSize": page_size,
            "initialId": initial_id,
            "prevId": prev_id,
            "nextId": next_id,
            "loadCustomFeedbacks": load_custom_feedbacks,
        }
        return cast(
            RecordsCursorPage, await self._post("/api/core/chat/record/getRecords_v2", body=body, read_only=True)
        )

    async def response_data(
        self,
        app_id: str,
        chat_id: str,
        data_id: str,
        *,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> builtins.list[dict[str, Any]]:
        """The node responses (``responseData``) of one AI message (``getResData``)."""
        query = {"appId": app_id, "chatId": chat_id, "dataId": data_id}
        return cast(
            builtins.list[dict[str, Any]],
            await self._get("/api/core/chat/getResData", query=query, **visitor_query(out_link_auth_data)),
        )

    async def delete(
        self,
        app_id: str,
        chat_id: str,
        content_id: str,
        *,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> None:
        """Delete one message (ids sent in the body, FastGPT 4.16, and the query, 4.11)."""
        ids = {"appId": app_id, "chatId": chat_id, "contentId": content_id}
        await self._delete("/api/core/chat/item/delete", query=ids, body=ids, **visitor_query(out_link_auth_data))

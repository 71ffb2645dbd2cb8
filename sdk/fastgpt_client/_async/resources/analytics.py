"""``client.analytics`` ↔ app logs and dashboards (``/api/proApi/core/app/logs/*``, ``/api/core/app/logs/*``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import IO, Any, cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._base import build_request_options
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import AppChartData, AppTotalData, ChatLog, ChatSource, Page, Timespan

ALL_SOURCES: tuple[ChatSource, ...] = (
    "test", "online", "share", "api", "cronJob", "team", "feishu", "official_account", "wecom", "mcp"
)  # fmt: skip


class AsyncAnalytics(AsyncAPIResource):
    """Usage totals, dashboard series, the chat log list and its CSV export."""

    async def total_data(self, app_id: str) -> AppTotalData:
        """All-time ``{totalUsers, totalChats, totalPoints}`` of an app."""
        return cast(AppTotalData, await self._get("/api/proApi/core/app/logs/getTotalData", query={"appId": app_id}))

    async def chart_data(
        self,
        app_id: str,
        date_start: str,
        date_end: str,
        *,
        offset: int = 1,
        source: Sequence[ChatSource] | None = None,
        user_timespan: Timespan = "day",
        chat_timespan: Timespan = "day",
        app_timespan: Timespan = "day",
    ) -> AppChartData:
        """Dashboard series (users, chats, feedback) bucketed by the given timespans."""
        body = {
            "appId": app_id,
            "dateStart": date_start,
            "dateEnd": date_end,
            "offset": offset,
            "source": list(source) if source is not None else ["api"],
            "userTimespan": user_timespan,
            "chatTimespan": chat_timespan,
            "appTimespan": app_timespan,
        }
        return cast(AppChartData, await self._post("/api/proApi/core/app/logs/getChartData", body=body, read_only=True))

    async def list_logs(
        self,
        app_id: str,
        *,
        date_start: NotGivenOr[str] = NOT_GIVEN,
        date_end: NotGivenOr[str] = NOT_GIVEN,
        sources: NotGivenOr[Sequence[ChatSource]] = NOT_GIVEN,
        chat_search: NotGivenOr[str] = NOT_GIVEN,
        feedback_type: NotGivenOr[str] = NOT_GIVEN,
        offset: int = 0,
        page_size: int = 20,
    ) -> Page[ChatLog]:
        """One page of the app's conversations, newest first."""
        body = {
            "appId": app_id,
            "dateStart": date_start,
            "dateEnd": date_end,
            "sources": list(sources) if isinstance(sources, Sequence) else sources,
            "chatSearch": chat_search,
            "feedbackType": feedback_type,
            "offset": offset,
            "pageSize": page_size,
        }
        return cast(Page[ChatLog], await self._post("/api/core/app/logs/list", body=body, read_only=True))

    def list_logs_all(
        self,
        app_id: str,
        *,
        date_start: NotGivenOr[str] = NOT_GIVEN,
        date_end: NotGivenOr[str] = NOT_GIVEN,
        sources: NotGivenOr[Sequence[ChatSource]] = NOT_GIVEN,
        page_size: int = 50,
    ) -> AsyncIterator[ChatLog]:
        """Every conversation of the log list, newest first (``offset`` paging)."""

        async def fetch(request: PageRequest) -> Page[ChatLog]:
            return await self.list_logs(
                app_id,
                date_start=date_start,
                date_end=date_end,
                sources=sources,
                offset=request.offset,
                page_size=request.page_size,
            )

        return iterate_pages(fetch, PageCursor("offset", page_size))

    async def export_logs(
        self,
        app_id: str,
        *,
        date_start: NotGivenOr[str] = NOT_GIVEN,
        date_end: NotGivenOr[str] = NOT_GIVEN,
        sources: NotGivenOr[Sequence[ChatSource]] = NOT_GIVEN,
        title: NotGivenOr[str] = NOT_GIVEN,
        extra_body: dict[str, Any] | None = None,
    ) -> AsyncIterator[bytes]:
        """Stream the CSV export of the app's chat logs, chunk by chunk (never held in memory)."""
        body = {
            "appId": app_id,
            "dateStart": date_start,
            "dateEnd": date_end,
            "sources": list(sources) if isinstance(sources, Sequence) else sources,
            "title": title,
        }
        options = build_request_options(
            "POST", "/api/core/app/logs/exportLogs", body=body, extra_body=extra_body, idempotent=True
        )
        response = await self._client._request(options, stream=True)
        try:
            async for chunk in response.aiter_bytes():
                yield chunk
        finally:
            await response.aclose()

    async def export_logs_to(self, app_id: str, target: IO[bytes], **kwargs: Any) -> int:
        """Write the CSV export into the binary stream ``target``; return the number of bytes written."""
        written = 0
        async for chunk in self.export_logs(app_id, **kwargs):
            target.write(chunk)
            written += len(chunk)
        return written

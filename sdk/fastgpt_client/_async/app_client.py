"""``AsyncAppClient``: the seed SDK's app analytics method (returns the ``httpx.Response``)."""

from __future__ import annotations

from typing import cast

import httpx

from fastgpt_client._async._client import AsyncFastGPTClient
from fastgpt_client.types import ChatSource, Timespan


class AsyncAppClient(AsyncFastGPTClient):
    """Application analytics and logs.

    ::

        async with AsyncAppClient(api_key="fastgpt-…") as client:
            response = await client.get_app_logs_chart(appId="…", dateStart="…", dateEnd="…")
    """

    async def get_app_logs_chart(
        self,
        appId: str,
        dateStart: str,
        dateEnd: str,
        offset: int = 1,
        source: list[str] | None = None,
        userTimespan: str = "day",
        chatTimespan: str = "day",
        appTimespan: str = "day",
    ) -> httpx.Response:
        """POST ``/api/proApi/core/app/logs/getChartData`` (``source`` defaults to ``["api"]``; ``analytics.chart_data``)."""
        analytics = self.analytics._raw()
        await analytics.chart_data(
            appId,
            dateStart,
            dateEnd,
            offset=offset,
            source=cast("list[ChatSource] | None", source),
            user_timespan=cast(Timespan, userTimespan),
            chat_timespan=cast(Timespan, chatTimespan),
            app_timespan=cast(Timespan, appTimespan),
        )
        return analytics._response()

    async def get_app_logs_total(self, appId: str) -> httpx.Response:
        """GET ``/api/proApi/core/app/logs/getTotalData``: all-time users, chats and points (``analytics.total_data``)."""
        analytics = self.analytics._raw()
        await analytics.total_data(appId)
        return analytics._response()

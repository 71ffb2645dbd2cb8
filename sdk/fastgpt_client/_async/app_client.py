"""``AsyncAppClient``: the seed SDK's app analytics method (returns the ``httpx.Response``)."""

from __future__ import annotations

import httpx

from fastgpt_client._async._client import AsyncFastGPTClient


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
        """POST ``/api/proApi/core/app/logs/getChartData`` (``source`` defaults to ``["api"]``)."""
        data = {
            "appId": appId,
            "dateStart": dateStart,
            "dateEnd": dateEnd,
            "offset": offset,
            "source": source if source is not None else ["api"],
            "userTimespan": userTimespan,
            "chatTimespan": chatTimespan,
            "appTimespan": appTimespan,
        }
        return await self._send_request("POST", "/api/proApi/core/app/logs/getChartData", json=data, idempotent=True)

    async def get_app_logs_total(self, appId: str) -> httpx.Response:
        """GET ``/api/proApi/core/app/logs/getTotalData``: all-time users, chats and points."""
        return await self._send_request("GET", "/api/proApi/core/app/logs/getTotalData", params={"appId": appId})

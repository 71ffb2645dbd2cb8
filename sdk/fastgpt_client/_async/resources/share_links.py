"""``client.share_links`` ↔ ``/api/support/outLink/*``: share links and other publish channels."""

from __future__ import annotations

import builtins
from typing import Any, cast

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import ShareLink


class AsyncShareLinks(AsyncAPIResource):
    """Share links (``type="share"``), iframes and the other publish channels of an app."""

    async def create(
        self,
        app_id: str,
        name: str,
        *,
        type: str = "share",
        show_cite: NotGivenOr[bool] = NOT_GIVEN,
        show_running_status: NotGivenOr[bool] = NOT_GIVEN,
        show_full_text: NotGivenOr[bool] = NOT_GIVEN,
        can_download_source: NotGivenOr[bool] = NOT_GIVEN,
        immediate_response: NotGivenOr[str] = NOT_GIVEN,
        default_response: NotGivenOr[str] = NOT_GIVEN,
        limit: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
        extra_body: dict[str, Any] | None = None,
    ) -> str:
        """Create a link; return its ``shareId``.

        ``limit`` may hold ``expiredTime``, ``QPM``, ``maxUsagePoints`` and ``hookUrl`` (the
        identity-verification hooks).
        """
        body = {
            "appId": app_id,
            "name": name,
            "type": type,
            "showCite": show_cite,
            "showRunningStatus": show_running_status,
            "showFullText": show_full_text,
            "canDownloadSource": can_download_source,
            "immediateResponse": immediate_response,
            "defaultResponse": default_response,
            "limit": limit,
        }
        return str(await self._post("/api/support/outLink/create", body=body, extra_body=extra_body))

    async def list(self, app_id: str, *, type: str = "share") -> builtins.list[ShareLink]:
        return cast(
            builtins.list[ShareLink],
            await self._get("/api/support/outLink/list", query={"appId": app_id, "type": type}),
        )

    async def update(
        self,
        link_id: str,
        *,
        name: NotGivenOr[str] = NOT_GIVEN,
        show_cite: NotGivenOr[bool] = NOT_GIVEN,
        show_running_status: NotGivenOr[bool] = NOT_GIVEN,
        show_full_text: NotGivenOr[bool] = NOT_GIVEN,
        can_download_source: NotGivenOr[bool] = NOT_GIVEN,
        limit: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
        extra_body: dict[str, Any] | None = None,
    ) -> None:
        body = {
            "_id": link_id,
            "name": name,
            "showCite": show_cite,
            "showRunningStatus": show_running_status,
            "showFullText": show_full_text,
            "canDownloadSource": can_download_source,
            "limit": limit,
        }
        await self._put("/api/support/outLink/update", body=body, extra_body=extra_body)

    async def delete(self, link_id: str) -> None:
        await self._delete("/api/support/outLink/delete", query={"id": link_id})

"""``client.apps.versions`` ↔ ``/api/core/app/version/*``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import AppVersion, Page


class AsyncVersions(AsyncAPIResource):
    """Saved and published versions of an app's workflow."""

    async def list(
        self, app_id: str, *, offset: int = 0, page_size: int = 20, is_publish: NotGivenOr[bool] = NOT_GIVEN
    ) -> Page[AppVersion]:
        body = {"appId": app_id, "offset": offset, "pageSize": page_size, "isPublish": is_publish}
        return cast(Page[AppVersion], await self._post("/api/core/app/version/list", body=body, read_only=True))

    def list_all(
        self, app_id: str, *, page_size: int = 20, is_publish: NotGivenOr[bool] = NOT_GIVEN
    ) -> AsyncIterator[AppVersion]:
        """Every saved version, newest first (``offset`` paging)."""

        async def fetch(request: PageRequest) -> Page[AppVersion]:
            return await self.list(app_id, offset=request.offset, page_size=request.page_size, is_publish=is_publish)

        return iterate_pages(fetch, PageCursor("offset", page_size))

    async def latest(self, app_id: str) -> AppVersion:
        """The newest published version (what chats run)."""
        return cast(AppVersion, await self._get("/api/core/app/version/latest", query={"appId": app_id}))

    async def detail(self, app_id: str, version_id: str) -> AppVersion:
        return cast(
            AppVersion,
            await self._get("/api/core/app/version/detail", query={"appId": app_id, "versionId": version_id}),
        )

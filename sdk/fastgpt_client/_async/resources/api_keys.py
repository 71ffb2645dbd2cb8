"""``client.api_keys`` ↔ ``/api/support/openapi/*``: API keys (app-bound or team-wide)."""

from __future__ import annotations

import builtins
from typing import Any, cast

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import APIKey


class AsyncAPIKeys(AsyncAPIResource):
    """Create, list, update and delete API keys."""

    async def create(
        self,
        name: str,
        *,
        app_id: NotGivenOr[str] = NOT_GIVEN,
        limit: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> str:
        """Create a key (bound to ``app_id`` when given); return the plaintext key, shown only once.

        ``limit`` may hold ``expiredTime`` (ISO date) and ``maxUsagePoints`` (-1 = unlimited).
        """
        body = {"name": name, "appId": app_id, "limit": limit}
        return str(await self._post("/api/support/openapi/create", body=body))

    async def list(self, *, app_id: NotGivenOr[str] = NOT_GIVEN) -> builtins.list[APIKey]:
        """Keys of an app (``app_id``) or the team's keys; the key text comes back masked."""
        return cast(builtins.list[APIKey], await self._get("/api/support/openapi/list", query={"appId": app_id}))

    async def update(
        self,
        key_id: str,
        *,
        name: NotGivenOr[str] = NOT_GIVEN,
        limit: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> None:
        await self._put("/api/support/openapi/update", body={"_id": key_id, "name": name, "limit": limit})

    async def delete(self, key_id: str) -> None:
        await self._delete("/api/support/openapi/delete", query={"id": key_id})

"""``client.apps`` ↔ ``/api/core/app/*`` (create, list, detail, update, delete, copy, publish)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from functools import cached_property
from typing import Any, cast

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._async.resources.apps.versions import AsyncVersions
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import App


class AsyncApps(AsyncAPIResource):
    """Applications (simple, workflow, plugin, folders)."""

    @cached_property
    def versions(self) -> AsyncVersions:
        return AsyncVersions(self._client)

    async def create(
        self,
        name: str,
        *,
        type: str = "advanced",
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        avatar: NotGivenOr[str] = NOT_GIVEN,
        intro: NotGivenOr[str] = NOT_GIVEN,
        modules: NotGivenOr[Sequence[dict[str, Any]]] = NOT_GIVEN,
        edges: NotGivenOr[Sequence[dict[str, Any]]] = NOT_GIVEN,
        chat_config: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
        template_id: NotGivenOr[str] = NOT_GIVEN,
    ) -> str:
        """Create an app (its first version is published); return the app id."""
        body = {
            "name": name,
            "type": type,
            "parentId": parent_id,
            "avatar": avatar,
            "intro": intro,
            "modules": list(modules) if isinstance(modules, Sequence) else modules,
            "edges": list(edges) if isinstance(edges, Sequence) else edges,
            "chatConfig": chat_config,
            "templateId": template_id,
        }
        return str(await self._post("/api/core/app/create", body=body))

    async def create_folder(
        self, name: str, *, parent_id: NotGivenOr[str | None] = NOT_GIVEN, intro: NotGivenOr[str] = NOT_GIVEN
    ) -> str:
        """Create an app folder (``/api/core/app/folder/create``); return its id."""
        body = {"name": name, "parentId": parent_id, "intro": intro}
        return str(await self._post("/api/core/app/folder/create", body=body))

    async def list(
        self,
        *,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        type: NotGivenOr[str | Sequence[str]] = NOT_GIVEN,
        search_key: NotGivenOr[str] = NOT_GIVEN,
    ) -> builtins.list[App]:
        app_type = builtins.list(type) if isinstance(type, Sequence) and not isinstance(type, str) else type
        body = {"parentId": parent_id, "type": app_type, "searchKey": search_key}
        return cast(builtins.list[App], await self._post("/api/core/app/list", body=body, read_only=True))

    async def detail(self, app_id: str) -> App:
        return cast(App, await self._get("/api/core/app/detail", query={"appId": app_id}))

    async def update(
        self,
        app_id: str,
        *,
        name: NotGivenOr[str] = NOT_GIVEN,
        intro: NotGivenOr[str] = NOT_GIVEN,
        avatar: NotGivenOr[str] = NOT_GIVEN,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        nodes: NotGivenOr[Sequence[dict[str, Any]]] = NOT_GIVEN,
        edges: NotGivenOr[Sequence[dict[str, Any]]] = NOT_GIVEN,
        chat_config: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> None:
        """Change metadata, or the *draft* workflow (``nodes``/``edges``; publish to use it)."""
        body = {
            "name": name,
            "intro": intro,
            "avatar": avatar,
            "parentId": parent_id,
            "nodes": builtins.list(nodes) if isinstance(nodes, Sequence) else nodes,
            "edges": builtins.list(edges) if isinstance(edges, Sequence) else edges,
            "chatConfig": chat_config,
        }
        await self._put("/api/core/app/update", body=body, query={"appId": app_id})

    async def delete(self, app_id: str) -> None:
        """Delete an app with its chats, keys, share links and logs."""
        await self._delete("/api/core/app/del", query={"appId": app_id})

    async def copy(self, app_id: str) -> str:
        """Duplicate an app; return the new app id."""
        result = await self._post("/api/core/app/copy", body={"appId": app_id})
        if isinstance(result, dict):
            return str(result.get("appId") or result.get("_id") or result.get("id"))
        return str(result)

    async def publish(
        self,
        app_id: str,
        *,
        nodes: Sequence[dict[str, Any]],
        edges: Sequence[dict[str, Any]],
        chat_config: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
        version_name: NotGivenOr[str] = NOT_GIVEN,
        is_publish: bool = True,
        auto_save: NotGivenOr[bool] = NOT_GIVEN,
    ) -> Any:
        """Save a workflow version; with ``is_publish=True`` chats start using it."""
        body = {
            "nodes": builtins.list(nodes),
            "edges": builtins.list(edges),
            "chatConfig": chat_config,
            "versionName": version_name,
            "isPublish": is_publish,
            "autoSave": auto_save,
        }
        return await self._post("/api/core/app/version/publish", body=body, query={"appId": app_id})

"""Client of a FastGPT "API dataset" file server (`packages/service/core/dataset/apiDataset/custom/api.ts`).

The server is the dataset's `apiServer {baseUrl, authorization, basePath}`; requests carry
`Authorization: Bearer <authorization>` and every answer is `{success, message, data}`:

    POST /v1/file/list     {parentId, searchKey}   -> [{id, parentId, name, type: file|folder, hasChild?, …}]
    GET  /v1/file/content  ?id=                    -> {title?, content} or {title?, previewUrl}
    GET  /v1/file/read     ?id=                    -> {url}
    GET  /v1/file/detail   ?id=                    -> {id, parentId, name, type, updateTime, createTime}

A `previewUrl` is downloaded and read like a link collection. Outbound requests refuse private
addresses unless `allow_private` (the link-fetch policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from pyfastgpt.core.errors import UpstreamError
from pyfastgpt.rag.readers.guarded_http import PublicOnlyTransport
from pyfastgpt.rag.readers.link import check_host, fetch_link

TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class ApiServer:
    base_url: str
    authorization: str = ""
    base_path: str = ""

    @classmethod
    def from_wire(cls, raw: Any) -> ApiServer | None:
        """`apiDatasetServer.apiServer` (4.10+) or a bare `apiServer` (4.9)."""
        if not isinstance(raw, dict):
            return None
        nested = raw.get("apiServer")
        server: dict[str, Any] = nested if isinstance(nested, dict) else raw
        base_url = str(server.get("baseUrl") or "").strip()
        if not base_url:
            return None
        return cls(base_url, str(server.get("authorization") or ""), str(server.get("basePath") or ""))


@dataclass(frozen=True, slots=True)
class ApiFile:
    id: str
    name: str
    type: str  # file | folder
    parent_id: str | None = None
    has_child: bool = False
    update_time: Any = None
    create_time: Any = None


@dataclass(frozen=True, slots=True)
class ApiFileContent:
    title: str | None
    raw_text: str


def _message(body: Any, fallback: str) -> str:
    if isinstance(body, dict):
        for key in ("message", "msg", "error"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    return fallback


class ApiDatasetClient:
    def __init__(
        self, server: ApiServer, *, allow_private: bool = False, timeout_s: float = TIMEOUT_S, max_bytes: int = 0
    ) -> None:
        self.server = server
        self.allow_private = allow_private
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes or 20 * 1024 * 1024

    async def _request(self, method: str, path: str, data: dict[str, Any]) -> Any:
        url = self.server.base_url.rstrip("/") + path
        await check_host(url, allow_private=self.allow_private)
        params = {key: value for key, value in data.items() if value is not None}
        headers = {"Authorization": f"Bearer {self.server.authorization}"}
        transport = None if self.allow_private else PublicOnlyTransport()
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s, transport=transport) as http:
                if method == "POST":
                    response = await http.post(url, json=params, headers=headers)
                else:
                    response = await http.get(url, params=params, headers=headers)
        except httpx.HTTPError as error:
            raise UpstreamError(f"The API dataset server could not be reached: {error}") from error
        try:
            body = response.json()
        except ValueError as error:
            raise UpstreamError(f"The API dataset server answered HTTP {response.status_code} without JSON") from error
        if not isinstance(body, dict) or not body.get("success"):
            raise UpstreamError(_message(body, f"The API dataset server refused {path}"))
        return body.get("data")

    async def list_files(self, parent_id: str | None = None, search_key: str | None = None) -> list[ApiFile]:
        data = await self._request(
            "POST", "/v1/file/list", {"parentId": parent_id or self.server.base_path or None, "searchKey": search_key}
        )
        if not isinstance(data, list):
            raise UpstreamError("Invalid file list format")
        files = []
        for item in data:
            if not isinstance(item, dict) or not item.get("id") or not item.get("name") or item.get("type") is None:
                raise UpstreamError("Invalid file data format")
            kind = str(item["type"])
            has_child = item.get("hasChild")
            files.append(
                ApiFile(
                    id=str(item["id"]), name=str(item["name"]), type=kind,
                    parent_id=str(item["parentId"]) if item.get("parentId") else None,
                    has_child=bool(has_child) if has_child is not None else kind == "folder",
                    update_time=item.get("updateTime"), create_time=item.get("createTime"),
                )
            )  # fmt: skip
        return files

    async def file_content(self, api_file_id: str) -> ApiFileContent:
        data = await self._request("GET", "/v1/file/content", {"id": api_file_id})
        if not isinstance(data, dict):
            raise UpstreamError("Invalid content type: content or previewUrl is required")
        title = str(data["title"]) if data.get("title") else None
        if data.get("content"):
            return ApiFileContent(title, str(data["content"]))
        if data.get("previewUrl"):
            page = await fetch_link(
                str(data["previewUrl"]),
                timeout_s=self.timeout_s,
                max_bytes=self.max_bytes,
                allow_private=self.allow_private,
            )
            return ApiFileContent(title, page.text)
        raise UpstreamError("Invalid content type: content or previewUrl is required")

    async def preview_url(self, api_file_id: str) -> str:
        data = await self._request("GET", "/v1/file/read", {"id": api_file_id})
        url = data.get("url") if isinstance(data, dict) else None
        if not url or not isinstance(url, str):
            raise UpstreamError("Invalid response url")
        return url

    async def file_detail(self, api_file_id: str) -> ApiFile:
        data = await self._request("GET", "/v1/file/detail", {"id": api_file_id})
        if not isinstance(data, dict) or not data.get("id"):
            raise UpstreamError("File not found")
        return ApiFile(
            id=str(data["id"]), name=str(data.get("name") or ""), type=str(data.get("type") or "file"),
            parent_id=str(data["parentId"]) if data.get("parentId") else None,
            update_time=data.get("updateTime"), create_time=data.get("createTime"),
        )  # fmt: skip

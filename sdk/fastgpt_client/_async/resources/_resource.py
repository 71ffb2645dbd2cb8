"""Base class of every resource: thin helpers that send and unwrap FastGPT's envelope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fastgpt_client._base import build_request_options
from fastgpt_client._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from fastgpt_client._async._client import AsyncFastGPTClient


class AsyncAPIResource:
    """Holds the client; ``_get``/``_post``/``_put``/``_delete`` return the envelope's ``data``."""

    def __init__(self, client: AsyncFastGPTClient) -> None:
        self._client = client

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        idempotent: bool | None = None,
    ) -> Any:
        options = build_request_options(
            method,
            path,
            body=body,
            query=query,
            extra_body=extra_body,
            extra_query=extra_query,
            extra_headers=extra_headers,
            timeout=timeout,
            idempotent=idempotent,
        )
        return await self._client._request_data(options)

    async def _get(self, path: str, *, query: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        return await self._call("GET", path, query=query, **kwargs)

    async def _post(
        self,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        read_only: bool = False,
        **kwargs: Any,
    ) -> Any:
        """POST; ``read_only=True`` marks a query-style POST (a list or search) as safe to retry."""
        return await self._call("POST", path, body=body or {}, query=query, idempotent=read_only or None, **kwargs)

    async def _put(
        self, path: str, *, body: Mapping[str, Any] | None = None, query: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        return await self._call("PUT", path, body=body or {}, query=query, **kwargs)

    async def _delete(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        return await self._call("DELETE", path, query=query, body=body, **kwargs)

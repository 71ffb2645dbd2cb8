"""Base class of every resource: thin helpers that send and unwrap FastGPT's envelope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from fastgpt_client._base import RequestOptions, build_request_options
from fastgpt_client._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from fastgpt_client._async._client import AsyncFastGPTClient

_ResourceT = TypeVar("_ResourceT", bound="AsyncAPIResource")


class AsyncAPIResource:
    """Holds the client; ``_get``/``_post``/``_put``/``_delete`` return the envelope's ``data``.

    A resource made by :meth:`_raw` returns the ``httpx.Response`` instead: the seed SDK's
    methods (``get_chat_histories`` …) are thin wrappers over resources in that mode.
    """

    def __init__(self, client: AsyncFastGPTClient, *, raw_response: bool = False) -> None:
        self._client = client
        self._raw_response = raw_response
        self._last_response: httpx.Response | None = None

    def _raw(self: _ResourceT) -> _ResourceT:
        """This resource answering ``httpx.Response`` objects (errors still raise)."""
        return type(self)(self._client, raw_response=True)

    def _response(self) -> httpx.Response:
        """The response of the last call made in raw mode."""
        if self._last_response is None:
            raise RuntimeError("no request was sent in raw-response mode")
        return self._last_response

    async def _send(self, options: RequestOptions) -> Any:
        """Validate the ids, send, and return ``data`` (or the response in raw mode)."""
        if isinstance(options.json, Mapping):
            self._client._validate_params(**options.json)
        if options.params:
            self._client._validate_params(**options.params)
        if self._raw_response:
            self._last_response = await self._client._request(options)
            return self._last_response
        return await self._client._request_data(options)

    async def _send_run(self, options: RequestOptions, *, stream: bool) -> Any:
        """Send a workflow run: the typed event stream, the parsed body, or (raw mode) the response."""
        if stream:
            options.headers.setdefault("Accept", "text/event-stream")
        if self._raw_response:
            self._last_response = await self._client._request(options, stream=stream)
            return self._last_response
        if stream:
            return await self._client._request_stream(options)
        return await self._client._request_data(options)

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
        authenticated: bool = True,
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
            authenticated=authenticated,
        )
        return await self._send(options)

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

"""The asynchronous HTTP core: one place for sending, retrying and mapping errors."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import Any, TypeVar

import httpx

from fastgpt_client._async._streaming import AsyncStream
from fastgpt_client._async.resources.analytics import AsyncAnalytics
from fastgpt_client._async.resources.api_keys import AsyncAPIKeys
from fastgpt_client._async.resources.apps import AsyncApps
from fastgpt_client._async.resources.chat import AsyncChat
from fastgpt_client._async.resources.datasets import AsyncDatasets
from fastgpt_client._async.resources.models import AsyncModels
from fastgpt_client._async.resources.share_links import AsyncShareLinks
from fastgpt_client._base import (
    DEFAULT_BASE_URL,
    BaseClientMixin,
    RequestOptions,
    build_timeout,
    unwrap_envelope,
)
from fastgpt_client._exceptions import APIError
from fastgpt_client._retry import should_retry_exception, should_retry_status
from fastgpt_client._types import NOT_GIVEN, NotGiven
from fastgpt_client.stream_types import StreamEvent, parse_event

_ClientT = TypeVar("_ClientT", bound="AsyncFastGPTClient")


class AsyncFastGPTClient(BaseClientMixin):
    """Asynchronous FastGPT API client (``httpx.AsyncClient`` with connection pooling).

    Use it as an async context manager, or call :meth:`close`::

        async with AsyncFastGPTClient(api_key="fastgpt-…", base_url="http://localhost:3000") as client:
            datasets = await client.datasets.list()

    Resources: ``chat``, ``datasets``, ``apps``, ``api_keys``, ``share_links``, ``analytics``,
    ``models``. :meth:`with_options` gives a copy with other settings on the same connection pool.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 60.0,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        enable_logging: bool = False,
        *,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Create a client.

        Args:
            api_key: A FastGPT API key (``fastgpt-…``), app-bound or team-wide.
            base_url: The server origin; a trailing ``/api`` or ``/api/v1`` is removed.
            timeout: Total request timeout in seconds (connect capped at 15 s).
            max_retries: Attempt budget per call, first call included (3 = up to 2 retries).
            retry_delay: First backoff in seconds; doubles per retry, at most 8 s.
            enable_logging: Log requests and responses through the ``fastgpt_client`` logger.
            http_client: Bring your own ``httpx.AsyncClient`` (not closed by :meth:`close`).
            default_headers: Extra headers sent with every request.
        """
        super().__init__(api_key, base_url, timeout, max_retries, retry_delay, enable_logging)
        self._owns_http_client = http_client is None
        self._client = http_client or httpx.AsyncClient(base_url=self.base_url, timeout=build_timeout(timeout))
        self._custom_headers = dict(default_headers or {})
        self._request_timeout: float | NotGiven | None = NOT_GIVEN  # set on copies made by with_options

    def with_options(
        self: _ClientT,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        retry_delay: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> _ClientT:
        """A copy of this client with some settings changed, sharing its connection pool.

        ``timeout`` (seconds, ``None`` for none) applies to every request of the copy,
        ``max_retries`` is its attempt budget and ``headers`` are merged over the current
        default headers. The copy never closes the pool; close the original when done::

            client.with_options(timeout=5, max_retries=1).chat.histories.list(app_id)
        """
        copy = type(self)(
            api_key if api_key is not None else self.api_key,
            base_url if base_url is not None else self.base_url,
            self.timeout if isinstance(timeout, NotGiven) or timeout is None else timeout,
            max_retries if max_retries is not None else self.max_retries,
            retry_delay if retry_delay is not None else self.retry_delay,
            self.enable_logging,
            http_client=self._client,
            default_headers={**self._custom_headers, **(headers or {})},
        )
        copy._request_timeout = self._request_timeout if isinstance(timeout, NotGiven) else timeout
        return copy

    async def __aenter__(self: _ClientT) -> _ClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connection pool (unless the ``http_client`` was supplied by the caller)."""
        if self._owns_http_client:
            await self._client.aclose()

    # -- resources ---------------------------------------------------------------------------
    @cached_property
    def chat(self) -> AsyncChat:
        return AsyncChat(self)

    @cached_property
    def datasets(self) -> AsyncDatasets:
        return AsyncDatasets(self)

    @cached_property
    def apps(self) -> AsyncApps:
        return AsyncApps(self)

    @cached_property
    def api_keys(self) -> AsyncAPIKeys:
        return AsyncAPIKeys(self)

    @cached_property
    def share_links(self) -> AsyncShareLinks:
        return AsyncShareLinks(self)

    @cached_property
    def analytics(self) -> AsyncAnalytics:
        return AsyncAnalytics(self)

    @cached_property
    def models(self) -> AsyncModels:
        return AsyncModels(self)

    # -- sending -----------------------------------------------------------------------------
    async def _send_request(
        self,
        method: str,
        endpoint: str,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        stream: bool = False,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send a request with retries; return the ``httpx.Response`` (seed SDK signature).

        Error statuses raise the matching :class:`~fastgpt_client.APIStatusError`. With
        ``stream=True`` the body is left unread; close the response when done.
        """
        if json:
            self._validate_params(**json)
        if params:
            self._validate_params(**params)
        options = RequestOptions(
            method=method.upper(),
            path=endpoint,
            json=json,
            params=params,
            headers=dict(kwargs.pop("headers", None) or {}),
            files=kwargs.pop("files", None),
            data=kwargs.pop("data", None),
            idempotent=kwargs.pop("idempotent", None),
        )
        if "timeout" in kwargs:
            options.timeout = kwargs.pop("timeout")
        if kwargs:
            raise TypeError(f"unexpected arguments: {', '.join(sorted(kwargs))}")
        return await self._request(options, stream=stream)

    def _build_request(self, options: RequestOptions) -> httpx.Request:
        headers = {**self._default_headers(), **self._custom_headers, **options.headers}
        if not options.authenticated:
            headers.pop("Authorization", None)
        extra: dict[str, Any] = {}
        timeout = self._request_timeout if isinstance(options.timeout, NotGiven) else options.timeout
        if not isinstance(timeout, NotGiven):
            extra["timeout"] = build_timeout(timeout)
        return self._client.build_request(
            options.method,
            self.base_url + options.path,
            json=options.json,
            params=options.params,
            headers=headers,
            files=options.files,
            data=options.data,
            **extra,
        )

    async def _request(self, options: RequestOptions, *, stream: bool = False) -> httpx.Response:
        """Send ``options``; retry per :mod:`fastgpt_client._retry`; raise on error statuses."""
        request = self._build_request(options)
        idempotent = options.retry_idempotent
        attempts = self.retry_policy.max_attempts
        attempt = 0
        while True:
            self._log("Sending %s request to %s", options.method, options.path)
            try:
                response = await self._client.send(request, stream=stream)
            except httpx.TransportError as exc:
                if attempt + 1 < attempts and should_retry_exception(exc, idempotent=idempotent):
                    delay = self.retry_policy.delay_for(attempt)
                    self._log("%s %s failed (%s); retry in %.2fs", options.method, options.path, exc, delay)
                    await asyncio.sleep(delay)
                    attempt += 1
                    continue
                raise self._transport_error(exc, request) from exc
            self._log("Received response: %s", response.status_code)
            if response.status_code < 400:
                return response
            if attempt + 1 < attempts and should_retry_status(
                response.status_code, response.headers, idempotent=idempotent
            ):
                delay = self.retry_policy.delay_for(attempt, response.headers)
                self._log("%s %s got %s; retry in %.2fs", options.method, options.path, response.status_code, delay)
                await response.aclose()
                await asyncio.sleep(delay)
                attempt += 1
                continue
            if stream:
                try:
                    await response.aread()
                finally:
                    await response.aclose()
            self._handle_error_response(response)
            return response

    async def _request_data(self, options: RequestOptions) -> Any:
        """Send ``options`` and return the unwrapped ``data`` of FastGPT's envelope."""
        response = await self._request(options)
        try:
            payload = response.json()
        except ValueError as exc:
            raise APIError(
                f"invalid JSON from {options.path}", response.status_code, response.text, response=response
            ) from exc
        return unwrap_envelope(payload, response=response)

    async def _request_stream(self, options: RequestOptions) -> AsyncStream[StreamEvent]:
        """Send ``options`` expecting an SSE body; return the typed event stream."""
        response = await self._request(options, stream=True)
        return AsyncStream(response, parse_event)

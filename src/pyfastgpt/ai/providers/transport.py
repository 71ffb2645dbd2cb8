"""HTTP plumbing shared by the OpenAI-compatible providers: one retry policy, typed errors.

Retries (bounded by `RetryPolicy.max_retries`) cover 408/409/429/5xx answers, connection errors
and timeouts, with exponential backoff and jitter (0.5 s → 8 s) or the server's `Retry-After`
(`retry-after-ms`, seconds or an HTTP date; above `max_retry_after_s` the error is raised at once).
A stream is retried only while no byte of its body has arrived; after that a failure surfaces as
`ModelError` so the caller never sees a repeated answer.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import httpx

from pyfastgpt.ai.errors import ModelError, ModelTimeout

RETRYABLE_STATUS = frozenset({408, 409, 429})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 2
    initial_delay_s: float = 0.5
    max_delay_s: float = 8.0
    max_retry_after_s: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (0-based): exponential with ±25 % jitter."""
        base = min(self.initial_delay_s * float(2**attempt), self.max_delay_s)
        return base * (0.75 + random.random() * 0.5)


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from `retry-after-ms` / `Retry-After` (seconds or HTTP date), if present."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(raw) if raw.strip() else None
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())


def error_message(response: httpx.Response) -> str:
    """The provider's error text, from `{"error": {"message"}}`, `{"message"}`, `{"detail"}` or the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:500] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
        for key in ("message", "detail", "msg"):
            if body.get(key):
                return str(body[key])
    return json.dumps(body)[:500]


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or status >= 500


class HttpTransport:
    """POSTs JSON to one OpenAI-compatible base URL with retries; one `httpx.AsyncClient` per event loop."""

    def __init__(
        self,
        *,
        provider: str,
        base_url: str,
        api_key: str = "",
        timeout_s: float = 120.0,
        retry: RetryPolicy | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0))
        self.retry = retry or RetryPolicy()
        self._headers = {"Content-Type": "application/json", **(headers or {})}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._clients: dict[asyncio.AbstractEventLoop, httpx.AsyncClient] = {}

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            for stale in [other for other in self._clients if other.is_closed()]:
                del self._clients[stale]
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
            client = httpx.AsyncClient(timeout=self.timeout, headers=self._headers, limits=limits)
            self._clients[loop] = client
        return client

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.aclose()

    def _status_error(self, response: httpx.Response) -> ModelError:
        return ModelError(error_message(response), provider=self.provider, status=response.status_code)

    def _transport_error(self, exc: Exception) -> ModelError:
        if isinstance(exc, httpx.TimeoutException):
            return ModelTimeout(f"timed out ({type(exc).__name__})", provider=self.provider)
        return ModelError(f"connection failed: {type(exc).__name__}: {exc}", provider=self.provider)

    async def _wait(self, attempt: int, retry_after: float | None, error: ModelError) -> None:
        """Sleep before retry `attempt`, or raise `error` when retries are used up."""
        if attempt >= self.retry.max_retries:
            raise error
        if retry_after is not None and retry_after > self.retry.max_retry_after_s:
            raise error
        await asyncio.sleep(retry_after if retry_after is not None else self.retry.backoff(attempt))

    async def post_json(self, path: str, body: dict[str, Any]) -> Any:
        """POST `body`, return the decoded JSON answer (retrying as the policy allows)."""
        attempt = 0
        while True:
            try:
                response = await self._client().post(self.url(path), json=body)
                if response.status_code >= 400:
                    error = self._status_error(response)
                    if not is_retryable_status(response.status_code):
                        raise error
                    await self._wait(attempt, parse_retry_after(response.headers), error)
                    attempt += 1
                    continue
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                await self._wait(attempt, None, self._transport_error(exc))
                attempt += 1
                continue
            try:
                return response.json()
            except ValueError as exc:
                raise ModelError(f"malformed JSON answer: {response.text[:200]!r}", provider=self.provider) from exc

    async def stream_events(self, path: str, body: dict[str, Any]) -> AsyncGenerator[tuple[str, str], None]:
        """POST `body` and yield server-sent events as `(event, data)`; a JSON answer yields once.

        Closing the generator closes the HTTP response.
        """
        attempt = 0
        while True:
            received = False
            try:
                async with self._client().stream("POST", self.url(path), json=body) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        error = self._status_error(response)
                        if not is_retryable_status(response.status_code):
                            raise error
                        await self._wait(attempt, parse_retry_after(response.headers), error)
                        attempt += 1
                        continue
                    if "json" in response.headers.get("content-type", ""):
                        raw = await response.aread()
                        received = True
                        yield "message", raw.decode("utf-8", errors="replace")
                        return
                    event, data = "message", list[str]()
                    async for line in response.aiter_lines():
                        received = True
                        if not line:
                            if data:
                                yield event, "\n".join(data)
                            event, data = "message", []
                        elif line.startswith("data:"):
                            data.append(line[5:].removeprefix(" "))
                        elif line.startswith("event:"):
                            event = line[6:].strip() or "message"
                    if data:
                        yield event, "\n".join(data)
                    return
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                error = self._transport_error(exc)
                if received:
                    raise error from exc
                await self._wait(attempt, None, error)
                attempt += 1

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
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

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


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
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


def error_message(raw: bytes, reason: str) -> str:
    """The provider's error text, from `{"error": {"message"}}`, `{"message"}`, `{"detail"}` or the body."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", errors="replace")[:500] or reason
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
    """POSTs JSON to one OpenAI-compatible base URL with retries; one `aiohttp.ClientSession` per event loop.

    aiohttp rather than httpx: httpcore's pool polls every idle connection with `select()` on each
    request, which made the provider call the largest CPU cost of a chat round under concurrency.
    """

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
        self.timeout = aiohttp.ClientTimeout(
            total=None, connect=min(timeout_s, 10.0), sock_connect=min(timeout_s, 10.0), sock_read=timeout_s
        )
        self.retry = retry or RetryPolicy()
        self._headers = {"Content-Type": "application/json", **(headers or {})}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            for stale in [other for other in self._sessions if other.is_closed()]:
                self._sessions.pop(stale).detach()  # its loop is gone: nothing left to close
            connector = aiohttp.TCPConnector(limit=100, limit_per_host=100, keepalive_timeout=30)
            session = aiohttp.ClientSession(
                connector=connector, timeout=self.timeout, headers=self._headers, auto_decompress=True
            )
            self._sessions[loop] = session
        return session

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        session = self._sessions.pop(loop, None)
        if session is not None:
            await session.close()

    def _status_error(self, status: int, raw: bytes, reason: str) -> ModelError:
        return ModelError(error_message(raw, reason), provider=self.provider, status=status)

    def _transport_error(self, exc: Exception) -> ModelError:
        if isinstance(exc, asyncio.TimeoutError):
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
        payload = orjson.dumps(body)
        attempt = 0
        while True:
            try:
                async with self._session().post(self.url(path), data=payload) as response:
                    raw = await response.read()
                    status, reason, headers = response.status, response.reason or "", response.headers
            except (TimeoutError, aiohttp.ClientError) as exc:
                await self._wait(attempt, None, self._transport_error(exc))
                attempt += 1
                continue
            if status >= 400:
                error = self._status_error(status, raw, reason)
                if not is_retryable_status(status):
                    raise error
                await self._wait(attempt, parse_retry_after(headers), error)
                attempt += 1
                continue
            try:
                return orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                text = raw[:200].decode("utf-8", errors="replace")
                raise ModelError(f"malformed JSON answer: {text!r}", provider=self.provider) from exc

    async def stream_events(self, path: str, body: dict[str, Any]) -> AsyncGenerator[tuple[str, str], None]:
        """POST `body` and yield server-sent events as `(event, data)`; a JSON answer yields once.

        Closing the generator closes the HTTP response.
        """
        payload = orjson.dumps(body)
        attempt = 0
        while True:
            received = False
            try:
                async with self._session().post(self.url(path), data=payload) as response:
                    if response.status >= 400:
                        raw = await response.read()
                        error = self._status_error(response.status, raw, response.reason or "")
                        if not is_retryable_status(response.status):
                            raise error
                        await self._wait(attempt, parse_retry_after(response.headers), error)
                        attempt += 1
                        continue
                    if "json" in response.headers.get("content-type", ""):
                        raw = await response.read()
                        received = True
                        yield "message", raw.decode("utf-8", errors="replace")
                        return
                    parser = SseParser()
                    async for chunk in response.content.iter_any():
                        received = True
                        for event in parser.feed(chunk):
                            yield event
                    for event in parser.close():
                        yield event
                    return
            except (TimeoutError, aiohttp.ClientError) as exc:
                error = self._transport_error(exc)
                if received:
                    raise error from exc
                await self._wait(attempt, None, error)
                attempt += 1


class SseParser:
    """Incremental `text/event-stream` parser: bytes in, `(event, data)` pairs out (lines may split anywhere)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._event = "message"
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        events: list[tuple[str, str]] = []
        for raw in lines:
            self._line(raw.removesuffix(b"\r").decode("utf-8", errors="replace"), events)
        return events

    def close(self) -> list[tuple[str, str]]:
        events: list[tuple[str, str]] = []
        if self._buffer:
            self._line(self._buffer.removesuffix(b"\r").decode("utf-8", errors="replace"), events)
            self._buffer = b""
        if self._data:
            events.append((self._event, "\n".join(self._data)))
            self._data = []
        return events

    def _line(self, line: str, events: list[tuple[str, str]]) -> None:
        if not line:
            if self._data:
                events.append((self._event, "\n".join(self._data)))
            self._event, self._data = "message", []
        elif line.startswith("data:"):
            self._data.append(line[5:].removeprefix(" "))
        elif line.startswith("event:"):
            self._event = line[6:].strip() or "message"

"""Pure-ASGI middleware: request ids, access logs, the request body size limit and the JSON body guard."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.ids import random_hex
from pyfastgpt.core.limits import MAX_JSON_DEPTH

access_log = logging.getLogger("pyfastgpt.access")


class RequestContextMiddleware:
    """Adds `x-request-id` to every response and logs one structured line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = ""
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                request_id = value.decode("latin-1")[:100]
                break
        request_id = request_id or random_hex(32)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_holder = [0]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    extra={
                        "fields": {
                            "request_id": request_id,
                            "method": scope.get("method"),
                            "path": scope.get("path"),
                            "status": status_holder[0],
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                        }
                    },
                )


class BodySizeLimitMiddleware:
    """Refuses bodies over `max_bytes` with HTTP 413 in FastGPT's envelope, before the route reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int, exempt_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt_prefixes = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(self.exempt_prefixes):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._reject(send)
                    return
                break
        received = 0
        rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    rejected = True
                    raise _TooLarge
            return message

        started = [False]

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started[0] = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started[0]:
                await self._reject(send)

    async def _reject(self, send: Send) -> None:
        body: dict[str, Any] = {
            "code": 413,
            "statusText": "invalidParams",
            "message": f"Request body too large (limit {self.max_bytes} bytes)",
            "data": None,
        }
        payload = orjson.dumps(body)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": payload})


class _TooLarge(Exception):
    pass


# A JSON escape of a UTF-16 surrogate (paired or lone) or of NUL: only bodies holding one need a look.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:[dD][89a-fA-F][0-9a-fA-F]{2}|0000)")
_LONE_SURROGATE_OR_NUL = re.compile("[\ud800-\udfff\x00]")


class JsonBodyGuardMiddleware:
    """One place for what every JSON body must satisfy before a route (or a hand-written parser) sees it.

    - **Lone UTF-16 surrogates** (`"\\ud800"` without its pair) become U+FFFD, as FastGPT's Node.js
      does when it writes the string as UTF-8 (MongoDB, responses). Clients that cut a string by UTF-16
      index (JavaScript `slice`) send these; refusing the whole chat for half an emoji would be worse,
      and a Python `str` holding one cannot be written to SQLite, PostgreSQL or orjson at all.
    - **NUL characters** (`"\\u0000"`) are dropped: PostgreSQL text and jsonb cannot hold them, so
      both backends store the same thing.
    - **Nesting deeper than `MAX_JSON_DEPTH`** is refused with 400 `invalidParams`.

    Bodies without such an escape and with fewer brackets than the depth limit pass untouched (one
    regex scan and two byte counts); the others are parsed once here and, if changed, re-serialized.
    Only JSON (or untyped) bodies are looked at; a body that is not valid JSON passes through so the
    route answers its usual 400.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b""):
            scope = dict(scope, query_string=scope["query_string"].replace(b"%00", b""))
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay(b"".join(chunks), receive, message), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            cleaned = _clean_body(body)
        except InvalidRequest as exc:
            await send_envelope(send, exc.status, exc.envelope())
            return
        if cleaned is not body:
            headers = [(k, v) for k, v in scope.get("headers", ()) if k != b"content-length"]
            headers.append((b"content-length", str(len(cleaned)).encode()))
            scope = dict(scope, headers=headers)
        await self.app(scope, _replay(cleaned, receive), send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return b"json" in value.lower()
    return True  # FastAPI reads an untyped body as JSON


def _replay(body: bytes, receive: Receive, pending: Message | None = None) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent, pending
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if pending is not None:
            message, pending = pending, None
            return message
        return await receive()

    return replay


def _clean_body(body: bytes) -> bytes:
    """The body with lone surrogates replaced and NULs dropped; `body` itself when nothing changes."""
    suspect = _SUSPECT_ESCAPE.search(body) is not None
    if not suspect and body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return body
    try:
        document = json.loads(body)
    except RecursionError as exc:
        raise _too_deep() from exc
    except ValueError:
        return body  # not JSON: the route answers "malformed JSON"
    if _depth(document) > MAX_JSON_DEPTH:
        raise _too_deep()
    if not suspect:
        return body
    cleaned, changed = _clean(document)
    return json.dumps(cleaned, ensure_ascii=False).encode() if changed else body


def _too_deep() -> InvalidRequest:
    return InvalidRequest(f"Invalid request: JSON body nested deeper than {MAX_JSON_DEPTH} levels", key="invalidParams")


def _depth(document: Any) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest


def _clean_text(text: str) -> str:
    return _LONE_SURROGATE_OR_NUL.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def _clean(value: Any) -> tuple[Any, bool]:
    if isinstance(value, str):
        if _LONE_SURROGATE_OR_NUL.search(value) is None:
            return value, False
        return _clean_text(value), True
    if isinstance(value, list):
        items = [_clean(item) for item in value]
        if any(changed for _, changed in items):
            return [item for item, _ in items], True
        return value, False
    if isinstance(value, dict):
        pairs = [(_clean(key), _clean(item)) for key, item in value.items()]
        if any(k_changed or v_changed for (_, k_changed), (_, v_changed) in pairs):
            return {key: item for (key, _), (item, _) in pairs}, True
        return value, False
    return value, False


async def send_envelope(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = orjson.dumps(body)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": payload})

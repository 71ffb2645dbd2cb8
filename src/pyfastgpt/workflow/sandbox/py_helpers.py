# Helpers FastGPT's Python sandbox gives user code (projects/sandbox python-template.ts,
# projects/code-sandbox worker.py / python-bootstrap.py): count_token, str_to_base64,
# create_hmac, delay, http_request and SystemHelper / system_helper. Imported by py_guard.py
# before its audit hook is installed; runs inside the sandboxed interpreter.
from __future__ import annotations

import base64
import hmac
import json
import math
import time
import urllib.parse
from typing import Any

MAX_DELAY_MS = 10000
MAX_REQUESTS = 30
MAX_REQUEST_TIMEOUT_S = 60
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
MAX_REQUEST_BODY_BYTES = 5 * 1024 * 1024
_requests = [0]


def count_token(text: Any) -> int:
    """FastGPT 4.14+ counts ceil(len / 4) characters (4.11 used tiktoken cl100k)."""
    if not isinstance(text, str):
        text = str(text)
    return math.ceil(len(text) / 4)


def str_to_base64(text: str, prefix: str = "") -> str:
    return prefix + base64.b64encode(text.encode("utf-8")).decode("utf-8")


def create_hmac(algorithm: str, secret: str) -> dict[str, str]:
    """Sign `<ms timestamp>\\n<secret>` with `secret`; the sign is URL-quoted base64."""
    timestamp = str(int(time.time() * 1000))
    string_to_sign = timestamp + "\n" + secret
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), algorithm).digest()
    sign = urllib.parse.quote(base64.b64encode(digest).decode("utf-8"))
    return {"timestamp": timestamp, "sign": sign}


def delay(ms: float) -> None:
    if ms > MAX_DELAY_MS:
        raise ValueError("Delay must be <= 10000ms")
    time.sleep(ms / 1000)


def http_request(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: Any = None,
    timeout: float | None = None,
    timeout_ms: float | None = None,
) -> dict[str, Any]:
    """`SystemHelper.http_request`: {status, headers, data}; network must be allowed in settings."""
    import urllib.error  # imported on first use: most code never makes requests
    import urllib.request

    _requests[0] += 1
    if _requests[0] > MAX_REQUESTS:
        raise RuntimeError(f"Request limit exceeded: max {MAX_REQUESTS}")
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise RuntimeError(f"Protocol {parsed.scheme}: not allowed")
    send_headers = dict(headers or {})
    data: bytes | None = None
    if body is not None:
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode("utf-8")
            if not any(k.lower() == "content-type" for k in send_headers):
                send_headers["Content-Type"] = "application/json"
        else:
            data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    if data is not None and len(data) > MAX_REQUEST_BODY_BYTES:
        raise RuntimeError("Request body too large")
    limit = timeout if timeout is not None else (timeout_ms / 1000 if timeout_ms else MAX_REQUEST_TIMEOUT_S)
    request = urllib.request.Request(url, data=data, headers=send_headers, method=method.upper())
    try:
        with urllib.request.urlopen(request, timeout=min(limit, MAX_REQUEST_TIMEOUT_S)) as response:
            raw = response.read(MAX_RESPONSE_BYTES + 1)
            status, response_headers = response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw, status, response_headers = exc.read(MAX_RESPONSE_BYTES + 1), exc.code, dict(exc.headers)
    except urllib.error.URLError as exc:
        raise RuntimeError(f"HTTP request failed: {exc}") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise RuntimeError("Response too large")
    return {"status": status, "headers": response_headers, "data": raw.decode("utf-8", errors="replace")}


class _SystemHelper:
    """`SystemHelper` / `system_helper` (snake_case and camelCase names, as FastGPT has both)."""

    __slots__ = ()
    count_token = staticmethod(count_token)
    str_to_base64 = staticmethod(str_to_base64)
    create_hmac = staticmethod(create_hmac)
    delay = staticmethod(delay)
    http_request = staticmethod(http_request)
    httpRequest = http_request  # FastGPT's camelCase alias


system_helper = _SystemHelper()

"""The SDK's error tree.

::

    FastGPTError                      every error raised by this package
    ├── APIError                      anything about a request (seed SDK name; ``status_code``, ``response_data``)
    │   ├── APIStatusError            the server answered with an error status or envelope code
    │   │   ├── BadRequestError            400
    │   │   ├── AuthenticationError        401
    │   │   ├── PermissionDeniedError      403
    │   │   ├── NotFoundError              404
    │   │   ├── ConflictError              409
    │   │   ├── UnprocessableEntityError   422 (also a ValidationError)
    │   │   ├── RateLimitError             429 (``retry_after``)
    │   │   └── InternalServerError        >= 500
    │   ├── APIConnectionError        no usable answer (DNS, refused, reset, protocol error)
    │   │   └── APITimeoutError       the request timed out
    │   └── ValidationError           bad arguments caught before sending (and 422, see above)
    └── StreamParseError              an SSE stream could not be decoded

The seed SDK's names (``APIError``, ``AuthenticationError``, ``RateLimitError``,
``ValidationError``, ``StreamParseError``) keep their positional constructor signatures.
"""

from __future__ import annotations

from typing import Any

import httpx


class FastGPTError(Exception):
    """Base class of every error raised by ``fastgpt_client``."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class APIError(FastGPTError):
    """An API request failed. ``status_code`` is ``None`` when no HTTP answer was received."""

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        response_data: Any = None,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response_data = response_data
        self.request = request
        self.response = response

    @property
    def body(self) -> Any:
        """The decoded error body (openai-python's name for ``response_data``)."""
        return self.response_data

    @property
    def code(self) -> int | None:
        """FastGPT's envelope ``code`` (e.g. 514 for an invalid API key), when present."""
        data = self.response_data
        if isinstance(data, dict) and isinstance(data.get("code"), int):
            return int(data["code"])
        return None

    @property
    def status_text(self) -> str | None:
        """FastGPT's envelope ``statusText`` (an error key such as ``unAuthApiKey``), when present."""
        data = self.response_data
        if isinstance(data, dict) and isinstance(data.get("statusText"), str):
            return str(data["statusText"])
        return None


class ValidationError(APIError):
    """Invalid arguments (checked client-side before sending) or an HTTP 422 answer."""


class APIStatusError(APIError):
    """The server answered with an error (HTTP status >= 400 or an error envelope)."""

    status_code: int


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401: missing or invalid API key."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key may not use this resource."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409 (e.g. a chat that is still generating)."""


class UnprocessableEntityError(APIStatusError, ValidationError):
    """HTTP 422: the server rejected the request body."""


class RateLimitError(APIStatusError):
    """HTTP 429. ``retry_after`` is the raw ``Retry-After`` header value (or ``None``)."""

    def __init__(
        self,
        message: str,
        retry_after: str | None = None,
        status_code: int = 429,
        response_data: Any = None,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message, status_code, response_data, request=request, response=response)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """HTTP 5xx."""


class APIConnectionError(APIError):
    """The request never got a usable HTTP answer."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, None, None, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class StreamParseError(FastGPTError):
    """An SSE stream could not be decoded."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
}


def error_message(status_code: int, body: Any) -> str:
    """The human message of an error body: FastGPT's ``message``, OpenAI's ``error.message``, or a default."""
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message:
            return message
        nested = body.get("error")
        if isinstance(nested, dict) and isinstance(nested.get("message"), str) and nested["message"]:
            return str(nested["message"])
        if isinstance(nested, str) and nested:
            return nested
        status_text = body.get("statusText")
        if isinstance(status_text, str) and status_text:
            return status_text
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return f"HTTP {status_code}"


def make_status_error(
    status_code: int,
    body: Any,
    *,
    headers: httpx.Headers | None = None,
    request: httpx.Request | None = None,
    response: httpx.Response | None = None,
) -> APIStatusError:
    """Build the :class:`APIStatusError` subclass that matches ``status_code``."""
    message = error_message(status_code, body)
    if status_code == 429:
        retry_after = headers.get("retry-after") if headers is not None else None
        return RateLimitError(message, retry_after, status_code, body, request=request, response=response)
    cls = _STATUS_CLASSES.get(status_code)
    if cls is None:
        cls = InternalServerError if status_code >= 500 else APIStatusError
    return cls(message, status_code, body, request=request, response=response)


def decode_error_body(response: httpx.Response) -> Any:
    """The JSON body of an (already read) error response, or its text, or ``None``."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return None
    if not content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def status_error_from_response(response: httpx.Response) -> APIStatusError:
    """Map an (already read) error response to the matching exception."""
    request = response._request  # the public property raises when unset
    return make_status_error(
        response.status_code,
        decode_error_body(response),
        headers=response.headers,
        request=request,
        response=response,
    )

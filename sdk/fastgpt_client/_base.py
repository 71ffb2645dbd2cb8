"""I/O-free client core shared by the async source and its generated sync twin.

:class:`BaseClientMixin` keeps the seed SDK's settings and helpers (base-URL normalisation,
parameter validation, logging, error mapping); :class:`RequestOptions` and
:func:`build_request_options` turn a call into what httpx needs, dropping
:data:`~fastgpt_client._types.NOT_GIVEN` values on the way.
"""

from __future__ import annotations

import json as jsonlib
import logging
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from fastgpt_client._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ValidationError,
    make_status_error,
    status_error_from_response,
)
from fastgpt_client._retry import RetryPolicy, is_idempotent
from fastgpt_client._types import NotGiven, strip_not_given
from fastgpt_client._version import __version__

DEFAULT_BASE_URL = "http://localhost:3000"
MAX_CONNECT_TIMEOUT = 15.0

_REQUIRED_IDS = ("appId", "chatId", "dataId", "contentId", "datasetId", "collectionId")


def normalize_base_url(base_url: str) -> str:
    """The server origin: trailing slashes and a trailing ``/api`` (or ``/api/v1``) removed.

    Endpoint paths all start with ``/api/``, so ``http://host/api`` and ``http://host`` mean
    the same server; a sub-path deployment (``http://host/fastgpt/api``) keeps its prefix.
    """
    text = (base_url or "").strip()
    if not text:
        raise ValidationError("base_url must not be empty")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if not parts.netloc:
        raise ValidationError(f"invalid base_url: {base_url!r}")
    path = parts.path.rstrip("/")
    for suffix in ("/api/v1", "/api"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def build_timeout(timeout: float | None) -> httpx.Timeout:
    """Total ``timeout`` with the connect phase capped at 15 s (the seed SDK's rule)."""
    if timeout is None or timeout <= 0:
        return httpx.Timeout(None, connect=MAX_CONNECT_TIMEOUT)
    return httpx.Timeout(float(timeout), connect=min(float(timeout), MAX_CONNECT_TIMEOUT))


@dataclass
class RequestOptions:
    """Everything needed to send one request (and to decide whether it may be retried)."""

    method: str
    path: str
    json: Any = None
    params: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    files: Any = None
    data: dict[str, Any] | None = None
    timeout: float | NotGiven | None = field(default_factory=NotGiven)
    idempotent: bool | None = None
    authenticated: bool = True
    """``False`` leaves the ``Authorization`` header out (share-link visitors send ``outLinkAuthData``)."""

    @property
    def retry_idempotent(self) -> bool:
        """Whether a failure after sending may be retried (explicit flag, else by HTTP method)."""
        return is_idempotent(self.method) if self.idempotent is None else self.idempotent


def _clean_query(params: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in strip_not_given(params).items():
        if value is None:
            continue
        if isinstance(value, bool):
            cleaned[key] = "true" if value else "false"
        elif isinstance(value, dict | list):
            cleaned[key] = jsonlib.dumps(value, ensure_ascii=False)
        else:
            cleaned[key] = value
    return cleaned


def build_request_options(
    method: str,
    path: str,
    *,
    body: Mapping[str, Any] | None = None,
    query: Mapping[str, Any] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    extra_query: Mapping[str, Any] | None = None,
    extra_headers: Mapping[str, str] | None = None,
    timeout: float | None | NotGiven | None = None,
    idempotent: bool | None = None,
    authenticated: bool = True,
) -> RequestOptions:
    """Request options with NOT_GIVEN fields dropped; ``None`` in a body stays JSON ``null``.

    Query values of ``None`` are omitted, booleans become ``true``/``false`` and objects are
    JSON-encoded (FastGPT's convention for ``outLinkAuthData`` in GET routes).
    """
    json_body: dict[str, Any] | None = None
    if body is not None or extra_body:
        json_body = strip_not_given(body or {})
        json_body.update(extra_body or {})
    params: dict[str, Any] | None = None
    if query is not None or extra_query:
        params = _clean_query({**(query or {}), **(extra_query or {})})
    options = RequestOptions(method=method.upper(), path=path, json=json_body, params=params or None)
    options.headers.update(extra_headers or {})
    if timeout is not None and not isinstance(timeout, NotGiven):
        options.timeout = timeout
    options.idempotent = idempotent
    options.authenticated = authenticated
    return options


def unwrap_envelope(payload: Any, *, response: httpx.Response | None = None) -> Any:
    """``data`` of FastGPT's ``{code, statusText, message, data}`` envelope; raise on an error code.

    Bodies that are not envelopes (OpenAI-shaped completions, plain lists) are returned as-is.
    """
    if not (isinstance(payload, dict) and "data" in payload and {"code", "statusText", "message"} & set(payload)):
        return payload
    code = payload.get("code")
    if isinstance(code, int) and code not in (0, 200):
        status = code if 400 <= code <= 599 else (response.status_code if response is not None else 500)
        if status < 400:
            status = 500
        error = make_status_error(status, payload, response=response)
        raise error
    return payload.get("data")


class BaseClientMixin:
    """Settings and I/O-free helpers shared by every client class (the seed SDK's mixin).

    Attributes keep the seed SDK's names: ``api_key``, ``base_url`` (normalised origin),
    ``timeout``, ``max_retries``, ``retry_delay``, ``enable_logging``, ``logger``.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 60.0,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        enable_logging: bool = False,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise ValidationError("api_key must be a non-empty string")
        self.api_key = api_key.strip()
        self.base_url = normalize_base_url(base_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.enable_logging = enable_logging
        self.logger = logging.getLogger("fastgpt_client")
        self.retry_policy = RetryPolicy.from_seed_settings(max_retries, retry_delay)

    # -- validation ---------------------------------------------------------------------------
    def _validate_params(self, **params: Any) -> None:
        """Client-side checks run before sending; raise :class:`ValidationError`."""
        for key, value in params.items():
            if key in _REQUIRED_IDS and (value is None or (isinstance(value, str) and not value.strip())):
                raise ValidationError(f"{key} must be a non-empty string")
            if key == "messages":
                if not isinstance(value, list):
                    raise ValidationError("messages must be a list of message objects")
                for index, message in enumerate(value):
                    if not isinstance(message, dict):
                        raise ValidationError(f"messages[{index}] must be an object")
                    if "role" in message and not isinstance(message["role"], str):
                        raise ValidationError(f"messages[{index}].role must be a string")
            if key in ("offset", "pageSize") and isinstance(value, int) and value < 0:
                raise ValidationError(f"{key} must not be negative")

    # -- headers ----------------------------------------------------------------------------
    def _default_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/json",
            "User-Agent": f"fastgpt-client/{__version__} python/{platform.python_version()}",
        }

    # -- errors ------------------------------------------------------------------------------
    def _handle_error_response(self, response: httpx.Response) -> None:
        """Raise the exception that matches an error response (the body must have been read)."""
        if response.status_code < 400:
            return
        error = status_error_from_response(response)
        if self.enable_logging:
            self.logger.error("API error: %s - %s", response.status_code, error.message)
        raise error

    def _log(self, message: str, *args: object) -> None:
        if self.enable_logging:
            self.logger.info(message, *args)

    @staticmethod
    def _transport_error(error: httpx.TransportError, request: httpx.Request | None) -> APIConnectionError:
        if isinstance(error, httpx.TimeoutException):
            return APITimeoutError(f"Request timed out: {error}", request=request)
        return APIConnectionError(f"Connection error: {error}", request=request)

    @staticmethod
    def _unwrap_response_data(data: Any) -> Any:
        """Unwrap FastGPT's envelope but keep raw OpenAI-style bodies (seed helper; never raises)."""
        if isinstance(data, dict) and "data" in data and {"code", "message", "statusText"} & set(data):
            return data.get("data")
        return data


__all__ = [
    "APIStatusError",
    "BaseClientMixin",
    "RequestOptions",
    "build_request_options",
    "build_timeout",
    "normalize_base_url",
    "unwrap_envelope",
]

"""Turn every failure into FastGPT's envelope with a real HTTP status — never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from pyfastgpt.api.middleware import JsonBodyGuardMiddleware
from pyfastgpt.api.responses import FastJSONResponse
from pyfastgpt.core.errors import ERROR_CODES, AppError

log = logging.getLogger("pyfastgpt.api")

# Starlette's own refusals (a malformed multipart form is a 400) in FastGPT's keys.
_STATUS_KEYS = {400: "invalidParams", 401: "unAuthorization", 403: "unAuthorization", 429: "tooManyRequest"}


def _describe_validation(errors: list[Any]) -> str:
    parts: list[str] = []
    for error in errors[:5]:
        loc = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        kind = error.get("type", "")
        if kind == "json_invalid":
            parts.append(f"malformed JSON body ({error.get('ctx', {}).get('error', 'invalid JSON')})")
        else:
            parts.append(f"{loc}: {error.get('msg', 'invalid value')}")
    more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
    return "Invalid request: " + "; ".join(parts) + more


def error_response(status: int, key: str, message: str, headers: dict[str, str] | None = None) -> FastJSONResponse:
    code = ERROR_CODES.get(key, (status, ""))[0]
    body = {"code": code, "statusText": key, "message": message, "data": None}
    return FastJSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """The envelope handlers, and the JSON body guard (innermost middleware: it sees bodies the size
    limit let through) so that lone surrogates, NULs and deep nesting never reach a route."""
    app.add_middleware(JsonBodyGuardMiddleware)

    @app.exception_handler(AppError)
    async def app_error(_request: Request, exc: AppError) -> FastJSONResponse:
        return FastJSONResponse(exc.envelope(), status_code=exc.status, headers=exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> FastJSONResponse:
        return error_response(400, "invalidParams", _describe_validation(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> FastJSONResponse:
        key = _STATUS_KEYS.get(exc.status_code, "invalidResource" if exc.status_code == 404 else "error")
        message = str(exc.detail) if exc.detail else "Error"
        if exc.status_code == 404:
            message = "Not found"
        return error_response(exc.status_code, key, message, dict(exc.headers or {}) or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> FastJSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "error", "Internal server error")

"""FastAPI dependencies that read like prose: `Auth`, `Apps`, `Keys`, `Svc`.

Every dependency is `async def`: FastAPI runs a plain `def` dependency in its thread pool, one
thread hop per request for what is an attribute lookup."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import Depends, Request

from pyfastgpt.api.share_fields import share_fields
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.container import Services
from pyfastgpt.services.files import ChatFileService
from pyfastgpt.services.keys import KeyService


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return header.strip()
    root = request.headers.get("rootkey")
    return root.strip() if root else None


async def get_auth(request: Request) -> AuthContext:
    return await _key_holder(request, bearer_token(request))


async def _key_holder(request: Request, token: str | None) -> AuthContext:
    ctx = await get_services(request).auth.authenticate(token)
    request.state.auth = ctx
    return ctx


async def get_optional_auth(request: Request) -> AuthContext | None:
    """Key auth when a credential is sent; None otherwise (share-link callers send none)."""
    token = bearer_token(request)
    if token is None:
        return None
    return await _key_holder(request, token)


async def _share_fields(request: Request) -> tuple[str | None, str | None]:
    """`shareId`/`outLinkUid` flat or in `outLinkAuthData`, from the query string or a JSON body."""
    sources: list[dict[str, object]] = [dict(request.query_params)]
    if request.method in ("POST", "PUT", "DELETE") and "json" in request.headers.get("content-type", ""):
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            body = await request.json()
            if isinstance(body, dict):
                sources.insert(0, body)
    for source in sources:
        share_id, uid = share_fields(source)
        if share_id:
            return share_id, uid
    return None, None


async def get_caller(request: Request) -> AuthContext:
    """A key holder, or a share-link visitor (the `init` hook runs for visitors)."""
    token = bearer_token(request)
    if token is None:
        share_id, uid = await _share_fields(request)
        if share_id:
            visitor = await get_services(request).share.visitor_for_init(share_id, uid)
            ctx = visitor.auth_context()
            request.state.auth = ctx
            return ctx
    return await _key_holder(request, token)


async def _services(request: Request) -> Services:
    return get_services(request)


Svc = Annotated[Services, Depends(_services)]
Caller = Annotated[AuthContext, Depends(get_caller)]
OptionalAuth = Annotated[AuthContext | None, Depends(get_optional_auth)]
Auth = Annotated[AuthContext, Depends(get_auth)]


async def _apps(request: Request) -> AppService:
    return get_services(request).apps


async def _keys(request: Request) -> KeyService:
    return get_services(request).keys


async def _chat_files(request: Request) -> ChatFileService:
    return get_services(request).files


Apps = Annotated[AppService, Depends(_apps)]
Keys = Annotated[KeyService, Depends(_keys)]
ChatFiles = Annotated[ChatFileService, Depends(_chat_files)]

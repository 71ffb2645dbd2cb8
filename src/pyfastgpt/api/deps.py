"""FastAPI dependencies that read like prose: `Auth`, `Apps`, `Keys`, `Svc`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.container import Services
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
    services = get_services(request)
    ctx = await services.auth.authenticate(bearer_token(request))
    request.state.auth = ctx
    return ctx


async def get_optional_auth(request: Request) -> AuthContext | None:
    """Key auth when a credential is sent; None otherwise (share-link callers send none)."""
    if bearer_token(request) is None:
        return None
    return await get_auth(request)


Svc = Annotated[Services, Depends(get_services)]
OptionalAuth = Annotated[AuthContext | None, Depends(get_optional_auth)]
Auth = Annotated[AuthContext, Depends(get_auth)]


def _apps(request: Request) -> AppService:
    return get_services(request).apps


def _keys(request: Request) -> KeyService:
    return get_services(request).keys


Apps = Annotated[AppService, Depends(_apps)]
Keys = Annotated[KeyService, Depends(_keys)]

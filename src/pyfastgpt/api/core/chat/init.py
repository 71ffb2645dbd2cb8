"""`GET /api/core/chat/init`: the app's chat settings plus the chat's title and variables."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from pyfastgpt.api.core.chat.history import History
from pyfastgpt.api.deps import Caller
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.api.schema_docs import app_id_query
from pyfastgpt.core.errors import PermissionDenied

router = APIRouter(tags=["chat"])


class InitApp(BaseModel):
    chatConfig: dict[str, Any]
    chatModels: list[str]
    name: str
    avatar: str
    intro: str
    type: str
    pluginInputs: list[Any]


class InitData(BaseModel):
    chatId: str
    appId: str
    title: str
    userAvatar: str | None = None
    variables: dict[str, Any]
    app: InitApp


@router.get(
    "/api/core/chat/init",
    response_model=Envelope[InitData],
    response_model_exclude_unset=True,
    openapi_extra=app_id_query(),
)
async def init_chat(
    auth: Caller,
    history: History,
    appId: str = Query(default="", include_in_schema=False),
    chatId: str = Query(default=""),
) -> dict[str, Any]:
    return ok(await history.init_chat(auth, appId, chatId or None))


@router.get("/api/core/chat/outLink/init", response_model=Envelope[InitData], response_model_exclude_unset=True)
async def init_share_chat(auth: Caller, history: History, chatId: str = Query(default="")) -> dict[str, Any]:
    """A share-link visitor opening the page (`shareId` + `outLinkUid`, or `outLinkAuthData`, in the query)."""
    if auth.share_id is None:
        raise PermissionDenied("shareId and outLinkUid are required", key="unAuthLink")
    return ok(await history.init_chat(auth, auth.key_app_id or "", chatId or None))

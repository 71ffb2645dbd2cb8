"""The completions request body (§3.1) and its conversion to a service-level `ChatRequest`."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.share_fields import share_fields
from pyfastgpt.core.limits import MAX_CHAT_MESSAGES
from pyfastgpt.services.chat.round import ChatRequest


class CompletionsBody(BaseModel):
    """FastGPT fields; OpenAI fields (`model`, `temperature`, …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    appId: str | None = None
    chatId: str | None = None
    messages: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_CHAT_MESSAGES)
    stream: bool = False
    detail: bool = False
    variables: dict[str, Any] | None = None
    responseChatItemId: str | None = None
    customUid: str | None = None
    metadata: dict[str, Any] | None = None
    retainDatasetCite: bool = False
    shareId: str | None = None
    outLinkUid: str | None = None
    outLinkAuthData: dict[str, Any] | None = None


class ChatTestBody(CompletionsBody):
    nodes: list[dict[str, Any]] = Field(default_factory=list)
    edges: list[dict[str, Any]] = Field(default_factory=list)
    chatConfig: dict[str, Any] = Field(default_factory=dict)
    appName: str | None = None


def share_credentials(body: CompletionsBody) -> tuple[str | None, str | None]:
    """`shareId`/`outLinkUid` flat (4.11) or inside `outLinkAuthData` (4.16)."""
    return share_fields(
        {"shareId": body.shareId, "outLinkUid": body.outLinkUid, "outLinkAuthData": body.outLinkAuthData}
    )


def to_chat_request(body: CompletionsBody, request: Request, *, source: str | None = None) -> ChatRequest:
    return ChatRequest(
        messages=body.messages,
        app_id=body.appId,
        chat_id=body.chatId or None,
        stream=body.stream,
        detail=body.detail,
        variables=body.variables or {},
        response_chat_item_id=body.responseChatItemId,
        custom_uid=body.customUid,
        metadata=body.metadata or {},
        retain_dataset_cite=body.retainDatasetCite,
        origin_ip=request.client.host if request.client else None,
        source=source,
    )

"""The completions request body (§3.1) and its conversion to a service-level `ChatRequest`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from pyfastgpt.api.schema_docs import APP_ID_DOC, required_in_schema
from pyfastgpt.api.share_fields import share_fields
from pyfastgpt.core.limits import MAX_CHAT_MESSAGES
from pyfastgpt.services.chat.round import ChatRequest

_NOT_BLANK_URL = {"type": "string", "pattern": r"\S"}
# One OpenAI-style message as `services/chat/messages.py` reads it (tool and function messages are skipped).
MESSAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["role"],
    "properties": {
        "role": {"enum": ["system", "user", "assistant", "developer", "tool", "function"]},
        "content": {
            "anyOf": [
                {"type": "string"},
                {"type": "null"},
                {
                    "type": "array",
                    "items": {
                        "anyOf": [
                            {
                                "type": "object",
                                "required": ["type", "text"],
                                "properties": {"type": {"const": "text"}, "text": {"type": "string"}},
                            },
                            {
                                "type": "object",
                                "required": ["type", "image_url"],
                                "properties": {
                                    "type": {"const": "image_url"},
                                    "image_url": {
                                        "anyOf": [
                                            {
                                                "type": "object",
                                                "required": ["url"],
                                                "properties": {"url": _NOT_BLANK_URL},
                                            },
                                            _NOT_BLANK_URL,
                                        ]
                                    },
                                },
                            },
                            {
                                "type": "object",
                                "required": ["type", "url"],
                                "properties": {
                                    "type": {"const": "file_url"},
                                    "url": {"type": "string", "minLength": 1},
                                    "name": {"description": "Shown name (not text: the URL's last segment)"},
                                },
                            },
                        ]
                    },
                },
            ]
        },
        "dataId": {"description": "The message's id in the stored chat (any value, read as text)"},
        "reasoning_content": {"description": "An assistant message's reasoning (any value, read as text)"},
    },
}
Message = Annotated[dict[str, Any], WithJsonSchema(MESSAGE_SCHEMA)]


class CompletionsBody(BaseModel):
    """FastGPT fields; OpenAI fields (`model`, `temperature`, …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("messages"))
    appId: str | None = Field(default=None, description=APP_ID_DOC)
    chatId: str | None = None
    messages: list[Message] = Field(
        default_factory=list,
        max_length=MAX_CHAT_MESSAGES,
        # refused empty by the round, except for plugin apps (they run on `variables`)
        json_schema_extra={"minItems": 1},
        description="The conversation, last message the question (a plugin app may send none: it runs on `variables`).",
    )
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
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId", "messages"))
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

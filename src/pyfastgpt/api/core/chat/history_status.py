"""`/api/core/chat/history/{getHistoryStatus,markRead}` (FastGPT 4.15): sidebar status sync."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.core.chat.history import History
from pyfastgpt.api.deps import Caller
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.api.schema_docs import APP_ID_DOC, required_in_schema
from pyfastgpt.services.history.read_status import MAX_STATUS_IDS

router = APIRouter(tags=["chat history"])


class HistoryStatusBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    appId: str = Field(default="", description=f"{APP_ID_DOC} Without one the answer is an empty list, as FastGPT's.")
    chatIds: list[str] = Field(min_length=1, max_length=MAX_STATUS_IDS)


class HistoryStatusItem(BaseModel):
    chatId: str
    updateTime: str | None
    chatGenerateStatus: int
    hasBeenRead: bool | None = None


class HistoryStatusList(BaseModel):
    list: list[HistoryStatusItem]


class MarkReadBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = Field(min_length=1)


@router.post(
    "/api/core/chat/history/getHistoryStatus",
    response_model=Envelope[HistoryStatusList],
    response_model_exclude_none=True,
)
async def get_history_status(body: HistoryStatusBody, auth: Caller, history: History) -> dict[str, Any]:
    chat_ids = [chat_id for chat_id in dict.fromkeys(body.chatIds) if chat_id]
    return ok({"list": await history.history_status(auth, body.appId, chat_ids)})


@router.post("/api/core/chat/history/markRead", response_model=Envelope[None])
async def mark_read(body: MarkReadBody, auth: Caller, history: History) -> dict[str, Any]:
    await history.mark_read(auth, body.appId, body.chatId)
    return ok(None)

"""Conversation list and management: `/api/core/chat/{getHistories,updateHistory,delHistory,clearHistories}`
(FastGPT 4.11 paths) and the same under `/api/core/chat/history/` (4.16), plus `history/batchDelete`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pyfastgpt.api.deps import Caller, get_services
from pyfastgpt.api.envelope import Envelope, ok, ok_as_documented
from pyfastgpt.api.responses import FastJSONResponse
from pyfastgpt.api.schema_docs import query_parameters, required_in_schema
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.limits import MAX_PAGE_SIZE, Offset, PageNum
from pyfastgpt.services.history import HistoryService
from pyfastgpt.services.history.service import MAX_BATCH, HistoryChanges, HistoryQuery

router = APIRouter(tags=["chat history"])
M = TypeVar("M", bound=BaseModel)


async def get_history_service(request: Request) -> HistoryService:
    return get_services(request).history


History = Annotated[HistoryService, Depends(get_history_service)]


async def query_and_body(request: Request, model: type[M]) -> M:
    """DELETE routes take their ids from the query string or a JSON body (body fields win)."""
    params: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key in params:  # `?contentIds=a&contentIds=b`
            previous = params[key]
            params[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            params[key] = value
    raw = await request.body()
    if raw.strip():
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise InvalidRequest("Invalid request: malformed JSON body", key="invalidParams") from exc
        if isinstance(body, dict):
            params.update({key: value for key, value in body.items() if value is not None})
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
        raise InvalidRequest(f"Invalid request: {problems}", key="invalidParams") from exc


def page_offset(offset: int | None, page_num: int | None, page_size: int) -> int:
    """FastGPT's `parsePaginationRequest`: `offset`, or `(pageNum - 1) * pageSize`."""
    if offset is not None:
        return offset
    return (page_num - 1) * page_size if page_num else 0


class GetHistoriesBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    offset: Offset | None = None
    pageNum: PageNum | None = None
    pageSize: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE)
    source: str | None = None
    startCreateTime: datetime | None = None
    endCreateTime: datetime | None = None
    startUpdateTime: datetime | None = None
    endUpdateTime: datetime | None = None
    customUid: str | None = None  # a key holder's end user (FastGPT#3929); share visitors are scoped anyway
    outLinkUid: str | None = None


class HistoryItem(BaseModel):
    chatId: str
    updateTime: str | None
    appId: str
    customTitle: str
    title: str
    top: bool
    chatGenerateStatus: int
    hasBeenRead: bool | None = None


class HistoryPage(BaseModel):
    list: list[HistoryItem]
    total: int


class UpdateHistoryBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = Field(min_length=1)
    customTitle: str | None = None
    title: str | None = None
    top: bool | None = None


class ChatRef(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = Field(min_length=1)


class AppRef(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""


class BatchDeleteBody(BaseModel):
    model_config = ConfigDict(json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatIds: list[str] = Field(json_schema_extra={"minItems": 1, "maxItems": MAX_BATCH})  # checked by the service


@router.post("/api/core/chat/getHistories", response_model=Envelope[HistoryPage], response_model_exclude_none=True)
@router.post(
    "/api/core/chat/history/getHistories", response_model=Envelope[HistoryPage], response_model_exclude_none=True
)
async def get_histories(body: GetHistoriesBody, auth: Caller, history: History) -> FastJSONResponse:
    query = HistoryQuery(
        app_id=body.appId,
        offset=page_offset(body.offset, body.pageNum, body.pageSize),
        page_size=body.pageSize,
        source=body.source or None,
        start_create_time=body.startCreateTime,
        end_create_time=body.endCreateTime,
        start_update_time=body.startUpdateTime,
        end_update_time=body.endUpdateTime,
        out_link_uid=body.customUid or body.outLinkUid or None,
    )
    items, total = await history.list_histories(auth, query)
    return ok_as_documented({"list": items, "total": total})


@router.put("/api/core/chat/updateHistory", response_model=Envelope[None])
@router.post("/api/core/chat/updateHistory", response_model=Envelope[None], operation_id="update_history_post")
@router.put("/api/core/chat/history/updateHistory", response_model=Envelope[None])
@router.post(
    "/api/core/chat/history/updateHistory", response_model=Envelope[None], operation_id="update_history_v2_post"
)
async def update_history(body: UpdateHistoryBody, auth: Caller, history: History) -> dict[str, Any]:
    changes = HistoryChanges(custom_title=body.customTitle, title=body.title, top=body.top)
    await history.update_history(auth, body.appId, body.chatId, changes)
    return ok(None)


@router.delete("/api/core/chat/delHistory", response_model=Envelope[None], openapi_extra=query_parameters(ChatRef))
@router.delete(
    "/api/core/chat/history/delHistory", response_model=Envelope[None], openapi_extra=query_parameters(ChatRef)
)
async def del_history(request: Request, auth: Caller, history: History) -> dict[str, Any]:
    ref = await query_and_body(request, ChatRef)
    await history.delete_history(auth, ref.appId, ref.chatId)
    return ok(None)


@router.delete("/api/core/chat/clearHistories", response_model=Envelope[None], openapi_extra=query_parameters(AppRef))
@router.delete(
    "/api/core/chat/history/clearHistories", response_model=Envelope[None], openapi_extra=query_parameters(AppRef)
)
async def clear_histories(request: Request, auth: Caller, history: History) -> dict[str, Any]:
    ref = await query_and_body(request, AppRef)
    await history.clear_histories(auth, ref.appId)
    return ok(None)


@router.post("/api/core/chat/history/batchDelete", response_model=Envelope[None])
async def batch_delete(body: BatchDeleteBody, auth: Caller, history: History) -> dict[str, Any]:
    await history.batch_delete(auth, body.appId, body.chatIds)
    return ok(None)

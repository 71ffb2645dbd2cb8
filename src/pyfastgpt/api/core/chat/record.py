"""Messages of a chat: `getPaginationRecords`, `record/getRecords_v2`, `getResData`, message delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.core.chat.history import History, page_offset, query_and_body
from pyfastgpt.api.deps import Caller
from pyfastgpt.api.envelope import Envelope, ok, ok_as_documented
from pyfastgpt.api.responses import FastJSONResponse
from pyfastgpt.api.schema_docs import app_id_query, query_parameters, required_in_schema
from pyfastgpt.core.limits import MAX_PAGE_SIZE, Offset, PageNum
from pyfastgpt.services.history.records import Cursor

router = APIRouter(tags=["chat records"])


class RecordsBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = ""
    offset: Offset | None = None
    pageNum: PageNum | None = None
    pageSize: int = Field(default=10, ge=1, le=MAX_PAGE_SIZE)
    loadCustomFeedbacks: bool = False


class CursorBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = ""
    pageSize: int = Field(default=10, ge=1, le=MAX_PAGE_SIZE)
    initialId: str | None = None
    prevId: str | None = None
    nextId: str | None = None
    loadCustomFeedbacks: bool = False


class RecordItem(BaseModel):
    """One message; keys whose value is absent are left out of the answer."""

    model_config = ConfigDict(populate_by_name=True)
    id_: str = Field(alias="_id")
    dataId: str
    obj: str
    value: list[Any]
    time: str | None = None
    hideInUI: bool = False
    userGoodFeedback: str | None = None
    userBadFeedback: str | None = None
    adminFeedback: dict[str, Any] | None = None
    customFeedbacks: list[Any] | None = None
    durationSeconds: float | None = None
    errorMsg: str | None = None
    totalQuoteList: list[Any] | None = None
    llmModuleAccount: int | None = None
    historyPreviewLength: int | None = None
    totalRunningTime: float | None = None
    responseData: list[Any] | None = None


class CursorItem(RecordItem):
    id: str


class RecordPage(BaseModel):
    list: list[RecordItem]
    total: int


class CursorPage(BaseModel):
    list: list[CursorItem]
    total: int
    hasMorePrev: bool
    hasMoreNext: bool


class ItemDeleteParams(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = Field(min_length=1)
    contentId: str | None = None
    contentIds: list[str] | str | None = None
    dataId: str | None = None

    def ids(self) -> list[str]:
        many = self.contentIds
        listed = [p for p in many.split(",")] if isinstance(many, str) else list(many or [])
        return [i.strip() for i in [self.contentId or "", self.dataId or "", *listed] if i and i.strip()]


@router.post(
    "/api/core/chat/getPaginationRecords", response_model=Envelope[RecordPage], response_model_exclude_unset=True
)
@router.post(
    "/api/core/chat/record/getPaginationRecords",
    response_model=Envelope[RecordPage],
    response_model_exclude_unset=True,
)
async def get_pagination_records(body: RecordsBody, auth: Caller, history: History) -> FastJSONResponse:
    items, total = await history.page_records(
        auth,
        body.appId,
        body.chatId,
        offset=page_offset(body.offset, body.pageNum, body.pageSize),
        page_size=body.pageSize,
        custom_feedbacks=body.loadCustomFeedbacks,
    )
    return ok_as_documented({"list": items, "total": total})


@router.post(
    "/api/core/chat/record/getRecords_v2", response_model=Envelope[CursorPage], response_model_exclude_unset=True
)
async def get_records_v2(body: CursorBody, auth: Caller, history: History) -> FastJSONResponse:
    cursor = Cursor(page_size=body.pageSize, initial_id=body.initialId, prev_id=body.prevId, next_id=body.nextId)
    page = await history.cursor_records(
        auth, body.appId, body.chatId, cursor, custom_feedbacks=body.loadCustomFeedbacks
    )
    return ok_as_documented(page)


@router.get("/api/core/chat/getResData", response_model=Envelope[list[dict[str, Any]]], openapi_extra=app_id_query())
@router.get(
    "/api/core/chat/record/getResData", response_model=Envelope[list[dict[str, Any]]], openapi_extra=app_id_query()
)
async def get_res_data(
    auth: Caller,
    history: History,
    appId: str = Query(default="", include_in_schema=False),
    chatId: str = Query(min_length=1),
    dataId: str = Query(min_length=1),
) -> dict[str, Any]:
    return ok(await history.response_data(auth, appId, chatId, dataId))


@router.delete(
    "/api/core/chat/item/delete", response_model=Envelope[None], openapi_extra=query_parameters(ItemDeleteParams)
)
@router.delete(
    "/api/core/chat/record/delete", response_model=Envelope[None], openapi_extra=query_parameters(ItemDeleteParams)
)
async def delete_items(request: Request, auth: Caller, history: History) -> dict[str, Any]:
    params = await query_and_body(request, ItemDeleteParams)
    await history.delete_items(auth, params.appId, params.chatId, params.ids())
    return ok(None)

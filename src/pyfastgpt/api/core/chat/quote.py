"""`/api/core/chat/record/{getQuote,getCollectionQuote}` (+ FastGPT 4.11's `/api/core/chat/quote/*`):
the dataset chunks an answer quoted."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.core.chat.history import History
from pyfastgpt.api.core.chat.responses import CollectionQuotePage
from pyfastgpt.api.deps import Caller
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.api.schema_docs import required_in_schema
from pyfastgpt.services.history.quotes import CollectionPage

router = APIRouter(tags=["chat records"])
Id = Field(min_length=1, max_length=256)


class QuoteBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = Id
    chatItemDataId: str = Id
    datasetDataIdList: list[str] = Field(default_factory=list, max_length=200)
    collectionIdList: list[str] = Field(default_factory=list, max_length=200)


class CollectionQuoteBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = Id
    chatItemDataId: str = Id
    collectionId: str = Field(min_length=1, max_length=64)
    pageSize: int = Field(default=15, ge=1, le=30)
    anchor: int | None = None
    initialId: str | None = None
    nextId: str | None = None
    prevId: str | None = None


@router.post("/api/core/chat/record/getQuote", response_model=Envelope[list[dict[str, Any]]])
@router.post("/api/core/chat/quote/getQuote", response_model=Envelope[list[dict[str, Any]]], include_in_schema=False)
async def get_quote(body: QuoteBody, auth: Caller, history: History) -> dict[str, Any]:
    quotes = await history.get_quote(
        auth, body.appId, body.chatId, body.chatItemDataId, body.datasetDataIdList, body.collectionIdList
    )
    return ok(quotes)


@router.post(
    "/api/core/chat/record/getCollectionQuote",
    response_model=Envelope[CollectionQuotePage],
    response_model_exclude_unset=True,
)
@router.post(
    "/api/core/chat/quote/getCollectionQuote",
    response_model=Envelope[CollectionQuotePage],
    response_model_exclude_unset=True,
    include_in_schema=False,
)
async def get_collection_quote(body: CollectionQuoteBody, auth: Caller, history: History) -> dict[str, Any]:
    page = CollectionPage(
        collection_id=body.collectionId,
        page_size=body.pageSize,
        anchor=body.anchor,
        initial_id=body.initialId,
        prev_id=body.prevId,
        next_id=body.nextId,
    )
    return ok(await history.get_collection_quote(auth, body.appId, body.chatId, body.chatItemDataId, page))

"""Response shape of `getCollectionQuote`, in FastGPT's wire names (for `/openapi.json`).

The route returns the history service's dict; FastAPI validates it against these models with
`response_model_exclude_unset=True`. Fields follow the order the service writes them, with the exact
Python types it produces, and extra keys are allowed, so the JSON stays byte-for-byte the service's.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    """A FastGPT object that may carry more keys than the ones named here."""

    model_config = ConfigDict(extra="allow")


class QuotePageItem(Open):
    """One chunk of the quoted collection, as it read when the answer was given (`updated` when it
    changed since)."""

    id_: str = Field(alias="_id")
    q: str
    a: str | None = None
    updateTime: str | None = None
    index: int
    updated: bool | None = None
    id: str
    anchor: int


class CollectionQuotePage(Open):
    """`POST /api/core/chat/record/getCollectionQuote`: a window of chunks around an anchor."""

    list: list[QuotePageItem]
    hasMorePrev: bool
    hasMoreNext: bool
    collectionType: str | None = None
    datasetType: str | None = None
    fileName: str | None = None

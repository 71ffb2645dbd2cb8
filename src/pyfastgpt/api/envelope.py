"""FastGPT's response envelope `{code, statusText, message, data}`."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from pyfastgpt.api.responses import FastJSONResponse

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    code: int = 200
    statusText: str = ""
    message: str = ""
    data: T


class ErrorEnvelope(BaseModel):
    code: int
    statusText: str
    message: str
    data: Any = None


def ok(data: Any = None) -> dict[str, Any]:
    return {"code": 200, "statusText": "", "message": "", "data": data}


def ok_as_documented(data: Any) -> FastJSONResponse:
    """`ok(data)` sent as it is. FastAPI validates and re-serializes what a route returns against its
    `response_model`, ~0.1 ms for a page of chat records; the hot read routes whose payload already is
    what their model dumps (`tests/api/test_envelope.py` checks) skip that. The model still documents them."""
    return FastJSONResponse(ok(data))

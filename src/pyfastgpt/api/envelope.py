"""FastGPT's response envelope `{code, statusText, message, data}`."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

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

"""`/api/core/chat/record/{getQuote,getCollectionQuote}`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

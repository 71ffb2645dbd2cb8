"""`/api/core/dataset/collection/create/{apiCollection,apiCollectionV2}`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

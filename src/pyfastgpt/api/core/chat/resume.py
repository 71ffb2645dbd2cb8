"""`GET /api/core/chat/resume: reattach to a running v2 stream (FastGPT 4.14.11 stream resume)`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

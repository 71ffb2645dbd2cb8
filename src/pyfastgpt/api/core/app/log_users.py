"""`/api/core/app/logs/getUsers (also under /api/proApi)`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

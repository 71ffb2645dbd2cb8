"""`/api/support/user/team/*: teams, members and team keys over the API`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

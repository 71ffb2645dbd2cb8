"""`/api/support/mcp/{list,create,update,delete}: MCP server keys (FastGPT 4.9.6+)`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

"""`/api/mcp/app/{key}/mcp: the built-in MCP server over Streamable HTTP`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

"""FastGPT's built-in MCP server: keys (`keys`), tool schemas (`schema`), listing and calls (`tools`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyfastgpt.services.mcp.keys import McpApp, McpDataset, McpKeyDoc, McpKeyService
from pyfastgpt.services.mcp.tools import McpToolService, ToolCallFailed, ToolInfo

if TYPE_CHECKING:
    from pyfastgpt.services.container import Services

__all__ = [
    "McpApp",
    "McpDataset",
    "McpKeyDoc",
    "McpKeyService",
    "McpService",
    "McpToolService",
    "ToolCallFailed",
    "ToolInfo",
    "build_mcp_service",
]


@dataclass(slots=True)
class McpService:
    keys: McpKeyService
    tools: McpToolService


def build_mcp_service(services: Services) -> McpService:
    return McpService(
        keys=McpKeyService(services.db, services.apps),
        tools=McpToolService(services.db, services.apps, services.chat, services.dataset_search),
    )

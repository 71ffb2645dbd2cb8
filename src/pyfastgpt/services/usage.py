"""Usage (billing) records written outside a chat round: searches, MCP tool calls, question guides.

A chat round writes its own record inside the round's transaction (`services.chat.round_store`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pyfastgpt.store.db import Database
from pyfastgpt.store.models import UsageRecord


@dataclass(frozen=True, slots=True)
class Usage:
    """One `usages` row: who is charged, for what, and its items (FastGPT's `ChatNodeUsageType`s)."""

    team_id: str
    tmb_id: str
    source: str  # "api", "fastgpt", "mcp", … (FastGPT's UsageSourceEnum)
    app_name: str
    total_points: float
    items: Sequence[dict[str, Any]]
    app_id: str | None = None


async def record_usage(db: Database, usage: Usage) -> None:
    """Store `usage` in its own write unit."""
    row = UsageRecord(
        team_id=usage.team_id,
        tmb_id=usage.tmb_id,
        app_id=usage.app_id,
        source=usage.source,
        app_name=usage.app_name,
        total_points=usage.total_points,
        items=list(usage.items),
    )
    await db.run_write_session(lambda session: session.add(row))

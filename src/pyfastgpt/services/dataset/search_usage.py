"""The `usages` row of a dataset search test (FastGPT's search test page and its API)."""

from __future__ import annotations

from pyfastgpt.rag.search.types import DatasetSearchResult
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.keys import KeyService
from pyfastgpt.services.usage import Usage, record_usage
from pyfastgpt.store.db import Database

USAGE_NAME = "Search test"


async def record_search_usage(db: Database, keys: KeyService, ctx: AuthContext, result: DatasetSearchResult) -> None:
    """A `usages` row for the search (embedding, rerank and extension items); API keys are charged."""
    if not result.usages:
        return
    points = sum(u.total_points for u in result.usages)
    usage = Usage(
        team_id=ctx.team_id,
        tmb_id=ctx.tmb_id,
        source="api" if ctx.auth_type == "apikey" else "fastgpt",
        app_name=USAGE_NAME,
        total_points=points,
        items=[u.to_wire() for u in result.usages],
    )
    await record_usage(db, usage)
    if ctx.key_id:
        await keys.add_usage(ctx.key_id, points)

"""Full-text index on PostgreSQL: generated `tsvector('simple')` column + GIN, ranked by ts_rank."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from typing import Any

from sqlalchemy import ColumnClause, Connection, func, literal_column, select, text

from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext.common import add_rows, remove_rows, scope_filter
from pyfastgpt.store.fulltext.tables import dataset_texts
from pyfastgpt.store.fulltext.types import TextHit, TextRow, clean_tokens

TSV_COLUMN = "kbx_tsv"
# Dataset-filtered statements need plans built for their actual ids (asyncpg prepares everything).
CUSTOM_PLANS = text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")


def or_tsquery(tokens: Sequence[str]) -> Any:
    """OR of one phrase query per token; tokens are bound parameters, never parsed as query syntax."""
    parts: list[Any] = [func.phraseto_tsquery(literal_column("'simple'::regconfig"), token) for token in tokens]
    return reduce(lambda left, right: left.op("||")(right), parts)


class PostgresFullTextIndex:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, conn: Connection, rows: Sequence[TextRow]) -> None:
        add_rows(conn, rows)

    def remove(
        self,
        conn: Connection,
        *,
        data_ids: Sequence[str] | None = None,
        collection_ids: Sequence[str] | None = None,
        dataset_ids: Sequence[str] | None = None,
    ) -> None:
        remove_rows(conn, data_ids=data_ids, collection_ids=collection_ids, dataset_ids=dataset_ids)

    async def search(
        self,
        *,
        team_id: str,
        dataset_ids: Sequence[str],
        query_tokens: Sequence[str],
        limit: int,
        collection_ids: Sequence[str] | None = None,
        forbid_collection_ids: Sequence[str] = (),
    ) -> list[TextHit]:
        tokens = clean_tokens(query_tokens)
        if not tokens or not dataset_ids or limit <= 0:
            return []
        query = select(or_tsquery(tokens).label("q")).subquery("q")
        tsv: ColumnClause[Any] = literal_column(f"dataset_texts.{TSV_COLUMN}")
        rank = func.ts_rank(tsv, query.c.q)
        stmt = (
            select(dataset_texts.c.data_id, rank.label("rank"))
            .select_from(dataset_texts.join(query, literal_column("true")))
            .where(tsv.op("@@")(query.c.q))
            .where(scope_filter(team_id, dataset_ids, collection_ids, forbid_collection_ids))
            .order_by(rank.desc(), dataset_texts.c.id)
            .limit(limit)
        )

        def run(conn: Connection) -> list[TextHit]:
            conn.execute(CUSTOM_PLANS)
            return [TextHit(data_id=row[0], score=float(row[1])) for row in conn.execute(stmt)]

        return await self._db.run_read(run)

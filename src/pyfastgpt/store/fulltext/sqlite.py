"""Full-text index on SQLite: FTS5 (unicode61 over the pre-segmented tokens), ranked by bm25."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnClause, Connection, literal_column, select, table, text

from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext.common import add_rows, remove_rows, scope_filter
from pyfastgpt.store.fulltext.tables import dataset_texts
from pyfastgpt.store.fulltext.types import TextHit, TextRow, clean_tokens

FTS_TABLE = "kbx_texts_fts"


def fts5_or_query(tokens: Sequence[str]) -> str:
    """OR of the tokens, each one a quoted FTS5 string: no token can inject query syntax."""
    return " OR ".join('"' + token.replace('"', '""') + '"' for token in tokens)


class SqliteFullTextIndex:
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
        fts = table(FTS_TABLE)
        rank: ColumnClause[Any] = literal_column(f"bm25({FTS_TABLE})")
        stmt = (
            select(dataset_texts.c.data_id, rank.label("rank"))
            .select_from(fts.join(dataset_texts, dataset_texts.c.id == literal_column(f"{FTS_TABLE}.rowid")))
            .where(text(f"{FTS_TABLE} MATCH :match").bindparams(match=fts5_or_query(tokens)))
            .where(scope_filter(team_id, dataset_ids, collection_ids, forbid_collection_ids))
            .order_by(rank)
            .limit(limit)
        )

        def run(conn: Connection) -> list[TextHit]:
            return [TextHit(data_id=row[0], score=-float(row[1])) for row in conn.execute(stmt)]

        return await self._db.run_read(run)

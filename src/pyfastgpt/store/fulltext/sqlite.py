"""Full-text index on SQLite: FTS5 (unicode61 over the pre-segmented tokens), ranked by bm25.

Dataset ids are generated identifiers (letters and digits), so each is one unicode61 token in the FTS
`dataset_id` column; the exact `dataset_id IN (...)` / team / collection filter still runs on the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnClause, Connection, literal_column, select, table, text

from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext.common import add_rows, remove_rows, scope_filter
from pyfastgpt.store.fulltext.tables import dataset_texts
from pyfastgpt.store.fulltext.types import TextHit, TextRow, clean_tokens

FTS_TABLE = "kbx_texts_fts"
SCOPED_QUERY_MAX_DATASETS = 16


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def fts5_or_query(tokens: Sequence[str]) -> str:
    """OR of the tokens, each one a quoted FTS5 string: no token can inject query syntax."""
    return " OR ".join(_quoted(token) for token in tokens)


def fts5_scoped_query(tokens: Sequence[str], dataset_ids: Sequence[str]) -> str:
    """(token OR ...) in the text column AND (dataset OR ...) in the indexed dataset_id column:
    FTS5 intersects posting lists, so only rows of the searched datasets are ranked."""
    datasets = " OR ".join(_quoted(dataset_id) for dataset_id in dataset_ids)
    return f"tokens : ({fts5_or_query(tokens)}) AND dataset_id : ({datasets})"


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
        # Few datasets: let FTS5 intersect with their posting lists. Many: the dataset term no longer
        # narrows anything and only adds merging; the row filter below applies in both cases.
        scoped = len(dataset_ids) <= SCOPED_QUERY_MAX_DATASETS
        match = fts5_scoped_query(tokens, dataset_ids) if scoped else fts5_or_query(tokens)
        fts = table(FTS_TABLE)
        rank: ColumnClause[Any] = literal_column(f"bm25({FTS_TABLE}, 1.0, 0.0)")  # dataset_id does not rank
        stmt = (
            select(dataset_texts.c.data_id, rank.label("rank"))
            .select_from(fts.join(dataset_texts, dataset_texts.c.id == literal_column(f"{FTS_TABLE}.rowid")))
            .where(text(f"{FTS_TABLE} MATCH :match").bindparams(match=match))
            .where(scope_filter(team_id, dataset_ids, collection_ids, forbid_collection_ids))
            .order_by(rank)
            .limit(limit)
        )

        def run(conn: Connection) -> list[TextHit]:
            return [TextHit(data_id=row[0], score=-float(row[1])) for row in conn.execute(stmt)]

        return await self._db.run_read(run)

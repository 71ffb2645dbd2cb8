"""Writes shared by both adapters: rows live in the plain `dataset_texts` table on either backend
(the FTS5 triggers / generated tsvector column index them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, false, insert, or_

from pyfastgpt.store.fulltext.tables import dataset_texts
from pyfastgpt.store.fulltext.types import TextRow
from pyfastgpt.store.prepared import Prepared

_CHUNK = 500
# Rows go in through the DB-API's executemany: SQLAlchemy's per-row parameter handling cost more
# than the inserts themselves.
INSERT_TEXTS = Prepared(insert(dataset_texts))


def add_rows(conn: Connection, rows: Sequence[TextRow]) -> None:
    if not rows:
        return
    latest = {row.data_id: row for row in rows}  # the last row for a data id wins
    ids = list(latest)
    for start in range(0, len(ids), _CHUNK):
        conn.execute(delete(dataset_texts).where(dataset_texts.c.data_id.in_(ids[start : start + _CHUNK])))
    values = [
        {
            "data_id": row.data_id,
            "team_id": row.team_id,
            "dataset_id": row.dataset_id,
            "collection_id": row.collection_id,
            "tokens": row.tokens,
        }
        for row in latest.values()
    ]
    INSERT_TEXTS.execute_many(conn, values)


def remove_rows(
    conn: Connection,
    *,
    data_ids: Sequence[str] | None = None,
    collection_ids: Sequence[str] | None = None,
    dataset_ids: Sequence[str] | None = None,
) -> None:
    conditions: list[ColumnElement[bool]] = []
    if data_ids:
        conditions.append(dataset_texts.c.data_id.in_(list(data_ids)))
    if collection_ids:
        conditions.append(dataset_texts.c.collection_id.in_(list(collection_ids)))
    if dataset_ids:
        conditions.append(dataset_texts.c.dataset_id.in_(list(dataset_ids)))
    if conditions:
        conn.execute(delete(dataset_texts).where(or_(*conditions)))


def scope_filter(
    team_id: str,
    dataset_ids: Sequence[str],
    collection_ids: Sequence[str] | None,
    forbid_collection_ids: Sequence[str],
) -> ColumnElement[bool]:
    """Team + datasets + allowed collections − forbidden collections."""
    conditions: list[Any] = [
        dataset_texts.c.team_id == team_id,
        dataset_texts.c.dataset_id.in_(list(dataset_ids)),
    ]
    if collection_ids is not None:
        conditions.append(dataset_texts.c.collection_id.in_(list(collection_ids)) if collection_ids else false())
    if forbid_collection_ids:
        conditions.append(dataset_texts.c.collection_id.not_in(list(forbid_collection_ids)))
    return and_(*conditions)

"""Hit hydration: the keyed reads (`KeyedRead`, one prepared statement per IN-list length) return
what an ordinary SQLAlchemy query returns, for key lists of every length, with repeats, unknown keys
and rows of other teams and datasets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from pyfastgpt.rag.search.records import _DATA_COLUMNS, SearchRecords, quote_of
from pyfastgpt.store.models import DatasetCollection, DatasetData, DatasetDataIndex
from tests.rag.search.conftest import World

LENGTHS = (1, 7, 8, 9, 33, 128, 129, 500, 501, 1203)  # around each compiled size and the 500-key part


def _expected_by_data(conn: Connection, team: str, datasets: set[str], keys: list[str]) -> dict[str, Any]:
    rows = conn.execute(
        select(*_DATA_COLUMNS)
        .join(DatasetCollection, DatasetCollection.id == DatasetData.collection_id)
        .where(DatasetData.id.in_(keys))
    ).all()
    return {row[0]: quote_of(tuple(row)) for row in rows if row.team_id == team and row.dataset_id in datasets}


def _expected_by_index(conn: Connection, team: str, datasets: set[str], keys: list[int]) -> dict[int, Any]:
    rows = conn.execute(
        select(DatasetDataIndex.id, *_DATA_COLUMNS)
        .join(DatasetData, DatasetData.id == DatasetDataIndex.data_id)
        .join(DatasetCollection, DatasetCollection.id == DatasetData.collection_id)
        .where(DatasetDataIndex.id.in_(keys))
    ).all()
    return {int(row[0]): quote_of(tuple(row)[1:]) for row in rows if row.team_id == team and row.dataset_id in datasets}


def _keys(known: list[Any], length: int, unknown: Any) -> list[Any]:
    """`length` keys: the known ones over and over (repeats), then unknown ones."""
    keys = [known[i % len(known)] for i in range(min(length, 3 * len(known)))]
    return keys + [unknown(i) for i in range(length - len(keys))]


async def test_keyed_reads_match_plain_queries(world: World) -> None:
    db = world.env.db
    records = SearchRecords(db)
    datasets = {world.kb.dataset_id, world.foreign.dataset_id}  # the foreign one belongs to another team
    data_ids = [*world.kb.data.values(), *world.foreign.data.values(), *world.second.data.values()]
    index_ids: list[int] = await db.run_read(
        lambda conn: [int(i) for i in conn.execute(select(DatasetDataIndex.id)).scalars()]
    )
    assert len(data_ids) > 3 and len(index_ids) > 3
    mine = set(world.kb.data.values())
    for length in LENGTHS:
        by_data = _keys(data_ids, length, lambda i: f"unknown{i:019d}")
        got_data = await records.by_data_ids(world.team, sorted(datasets), by_data)
        want_data = await db.run_read(lambda conn, k=by_data: _expected_by_data(conn, world.team, datasets, k))
        assert got_data == want_data
        assert set(got_data) == mine & set(by_data)  # neither the other team's nor an unsearched dataset's

        by_index = _keys(index_ids, length, lambda i: 10**12 + i)
        got_index = await records.by_index_ids(world.team, sorted(datasets), by_index)
        want_index = await db.run_read(lambda conn, k=by_index: _expected_by_index(conn, world.team, datasets, k))
        assert got_index == want_index
        assert {quote["id"] for quote in got_index.values()} <= mine
    full = await records.by_data_ids(world.team, [world.kb.dataset_id], list(mine))
    assert set(full) == mine
    assert all(quote["updateTime"].endswith("Z") and quote["sourceName"] for quote in full.values())

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import Team
from pyfastgpt.store.models.dataset import Dataset, DatasetCollection, DatasetData, rebuild_data_amounts


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_rebuild_data_amounts_recounts_each_collection(backend: str, request: pytest.FixtureRequest) -> None:
    """The backfill (migration 0016, and the benches' bulk loads) counts every collection's rows, one dataset's or all."""
    url = (
        request.getfixturevalue("pg").new_database()
        if backend == "pg"
        else f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'd.db'}"
    )
    asyncio.run(migrate.upgrade(url))
    chunks = {("one", "a"): 3, ("one", "b"): 0, ("two", "c"): 2}

    def seed(session: Session) -> None:
        session.add(Team(id="t" * 24, name="t"))
        session.flush()  # no relationship() orders the inserts: the rows each table refers to go first
        for dataset in ("one", "two"):
            session.add(Dataset(id=dataset.ljust(24, "0"), team_id="t" * 24, tmb_id="m" * 24, name=dataset))
        session.flush()
        for (dataset, collection), count in chunks.items():
            session.add(DatasetCollection(id=collection * 24, team_id="t" * 24, tmb_id="m" * 24, name=collection,
                                          dataset_id=dataset.ljust(24, "0"), data_amount=99))  # fmt: skip
            session.flush()
            session.add_all(
                DatasetData(
                    team_id="t" * 24,
                    tmb_id="m" * 24,
                    dataset_id=dataset.ljust(24, "0"),
                    collection_id=collection * 24,
                    q=f"{collection} {n}",
                    chunk_index=n,
                )
                for n in range(count)
            )

    def amounts(session: Session) -> dict[str, int]:
        rows = session.execute(select(DatasetCollection.id, DatasetCollection.data_amount)).all()
        return {row[0][0]: row[1] for row in rows}

    async def run() -> tuple[dict[str, int], dict[str, int]]:
        db = Database(url)
        try:
            await db.run_write_session(seed)
            await db.run_write(lambda conn: rebuild_data_amounts(conn, "one".ljust(24, "0")))
            one_only = await db.run_read_session(amounts)
            await db.run_write(lambda conn: conn.execute(update(DatasetCollection).values(data_amount=7)))
            await db.run_write(rebuild_data_amounts)
            return one_only, await db.run_read_session(amounts)
        finally:
            await db.dispose()

    one_only, everything = asyncio.run(run())
    assert one_only == {"a": 3, "b": 0, "c": 99}
    assert everything == {"a": 3, "b": 0, "c": 2}

"""Prepared statements write and read exactly what SQLAlchemy's own execution does, on both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Table, bindparam, insert, select, update

from pyfastgpt.store.db import Database
from pyfastgpt.store.models import Chat, ChatItem
from pyfastgpt.store.prepared import Prepared, Writes, _joined_sql, _rows_sql
from tests.support.databases import migrated_database

CHATS: Table = Chat.__table__  # type: ignore[assignment]
ITEMS: Table = ChatItem.__table__  # type: ignore[assignment]
INSERT_CHAT = Prepared(insert(CHATS))
INSERT_ITEM = Prepared(insert(ITEMS))
NEWEST_ITEMS = Prepared(
    select(ITEMS.c.data_id, ITEMS.c.value, ITEMS.c.time, ITEMS.c.memories)
    .where(ITEMS.c.chat_id == bindparam("b_chat"))
    .order_by(ITEMS.c.id.desc())
    .limit(2)
)
RENAME = Prepared(update(CHATS).where(CHATS.c.chat_id == bindparam("b_chat")).values(title=bindparam("b_title")))
WHEN = datetime(2026, 11, 21, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "pg"])
async def db(request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    async with migrated_database(request) as database:
        yield database


async def test_insert_fills_model_defaults_and_reads_back_like_the_orm(db: Database) -> None:
    await db.run_write(
        lambda conn: INSERT_CHAT.execute(conn, {"chat_id": "c1", "team_id": "t", "tmb_id": "m", "app_id": "a"})
    )
    async with db.read() as session:
        chat = (await session.execute(select(Chat).where(Chat.chat_id == "c1"))).scalar_one()
    assert len(chat.id) == 24  # new_id default
    assert chat.title == "" and chat.source == "online" and chat.top is False
    assert chat.variables == {} and chat.meta == {} and chat.chat_generate_status == 1
    assert chat.create_time.tzinfo is not None
    assert abs(chat.create_time - datetime.now(UTC)) < timedelta(minutes=1)


async def test_json_and_utc_datetimes_round_trip(db: Database) -> None:
    value = [{"type": "text", "text": {"content": "héllo ✓"}}, {"n": 1.5, "nested": [None, True]}]

    def write(conn: object) -> None:
        for index, data_id in enumerate(("d1", "d2", "d3")):
            INSERT_ITEM.execute(
                conn,  # type: ignore[arg-type]
                {
                    "data_id": data_id,
                    "team_id": "t",
                    "tmb_id": "m",
                    "chat_id": "c1",
                    "app_id": "a",
                    "obj": "AI",
                    "value": [*value, index],
                    "time": WHEN + timedelta(seconds=index),
                    "memories": None,
                },
            )

    await db.run_write(write)  # type: ignore[arg-type]
    rows = await db.run_read(lambda conn: NEWEST_ITEMS.all(conn, {"b_chat": "c1"}))
    assert [row[0] for row in rows] == ["d3", "d2"]  # the statement's own LIMIT 2 applies
    assert rows[0][1] == [*value, 2]
    assert rows[0][2] == WHEN + timedelta(seconds=2) and rows[0][2].tzinfo is not None
    assert rows[0][3] is None
    async with db.read() as session:  # the ORM reads the same values back
        item = (await session.execute(select(ChatItem).where(ChatItem.data_id == "d1"))).scalar_one()
    assert item.value == [*value, 0]
    assert item.time == WHEN


async def test_update_reports_changed_rows_and_first_returns_none_when_empty(db: Database) -> None:
    await db.run_write(
        lambda conn: INSERT_CHAT.execute(conn, {"chat_id": "c2", "team_id": "t", "tmb_id": "m", "app_id": "a"})
    )
    assert await db.run_write(lambda conn: RENAME.execute(conn, {"b_chat": "c2", "b_title": "renamed"})) == 1
    assert await db.run_write(lambda conn: RENAME.execute(conn, {"b_chat": "nope", "b_title": "x"})) == 0
    assert await db.run_read(lambda conn: NEWEST_ITEMS.first(conn, {"b_chat": "nope"})) is None
    async with db.read() as session:
        title = (await session.execute(select(Chat.title).where(Chat.chat_id == "c2"))).scalar_one()
    assert title == "renamed"


CLAIM_TITLES = Prepared(
    update(CHATS)
    .where(CHATS.c.chat_id.in_([bindparam("b_first"), bindparam("b_second")]))
    .values(title=bindparam("b_title"), update_time=bindparam("b_when", type_=CHATS.c.update_time.type))
    .returning(CHATS.c.chat_id, CHATS.c.update_time, CHATS.c.variables)
)


async def test_update_returning_converts_the_returned_columns(db: Database) -> None:
    def write(conn: Connection) -> list[tuple[Any, ...]]:
        INSERT_CHAT.execute_many(
            conn, [{"chat_id": chat_id, "team_id": "t", "tmb_id": "m", "app_id": "a", "variables": {"k": chat_id}}
                   for chat_id in ("r1", "r2", "r3")]
        )  # fmt: skip
        return CLAIM_TITLES.all(conn, {"b_first": "r1", "b_second": "r3", "b_title": "claimed", "b_when": WHEN})

    returned = sorted(await db.run_write(write))
    assert returned == [("r1", WHEN, {"k": "r1"}), ("r3", WHEN, {"k": "r3"})]
    assert all(row[1].tzinfo is not None for row in returned)


async def test_rows_sharing_one_value_object_are_stored_as_rows_with_their_own(db: Database) -> None:
    """`execute_many` converts a value once while consecutive rows hold the same object."""
    shared_value, shared_time = [{"type": "text", "text": {"content": "same"}}], WHEN

    def row(data_id: str, value: Any, when: datetime, memories: Any) -> dict[str, Any]:
        return {**_item(data_id, "shared"), "value": value, "time": when, "memories": memories}

    rows = [
        row("s1", shared_value, shared_time, None),
        row("s2", shared_value, shared_time, None),
        row("s3", [{"type": "text", "text": {"content": "other"}}], WHEN + timedelta(seconds=1), {"m": 1}),
        row("s4", shared_value, shared_time, None),
    ]
    await db.run_write(lambda conn: INSERT_ITEM.execute_many(conn, rows))
    async with db.read() as session:
        stored = (await session.execute(select(ChatItem).where(ChatItem.chat_id == "shared"))).scalars().all()
    by_id = {item.data_id: (item.value, item.time, item.memories) for item in stored}
    assert by_id == {r["data_id"]: (r["value"], r["time"], r["memories"]) for r in rows}


def _item(data_id: str, chat_id: str) -> dict[str, object]:
    return {"data_id": data_id, "team_id": "t", "tmb_id": "m", "chat_id": chat_id, "app_id": "a", "obj": "AI",
            "value": [{"n": data_id}], "time": WHEN}  # fmt: skip


async def test_writes_go_out_with_the_next_read_and_land_like_single_statements(db: Database) -> None:
    """(`bench/round_trips.py` shows the statements PostgreSQL receives.) The rows of one `add_many` keep their
    order: chat items are read back in key order."""

    def write(conn: Connection) -> list[tuple[Any, ...]]:
        writes = Writes(conn)
        writes.add(INSERT_CHAT, {"chat_id": "c9", "team_id": "t", "tmb_id": "m", "app_id": "a", "title": "x"})
        writes.add_many(INSERT_ITEM, [_item("d1", "c9"), _item("d2", "c9")])
        writes.add(RENAME, {"b_chat": "c8", "b_title": "untouched"})  # no such chat: changes nothing
        rows = writes.all(NEWEST_ITEMS, {"b_chat": "earlier"})  # reads rows the writes do not touch
        writes.add(INSERT_ITEM, _item("d3", "c9"))
        writes.flush()
        writes.flush()  # nothing pending: sends nothing
        return rows

    await db.run_write(lambda conn: INSERT_ITEM.execute(conn, _item("e1", "earlier")))
    rows = await db.run_write(write)
    assert [row[0] for row in rows] == ["e1"] and rows[0][1] == [{"n": "e1"}] and rows[0][2] == WHEN
    items = await db.run_read(lambda conn: NEWEST_ITEMS.all(conn, {"b_chat": "c9"}))
    assert [row[0] for row in items] == ["d3", "d2"]
    async with db.read() as session:
        chat = (await session.execute(select(Chat).where(Chat.chat_id == "c9"))).scalar_one()
    assert chat.title == "x" and chat.variables == {}


def test_joined_statements_number_each_part_after_the_earlier_ones() -> None:
    rows = _rows_sql("INSERT INTO a (x, y) VALUES ($1, f($2, $1)) ON CONFLICT DO NOTHING", 2, 3)
    assert rows == (
        "INSERT INTO a (x, y) VALUES ($1, f($2, $1)), ($3, f($4, $3)), ($5, f($6, $5)) ON CONFLICT DO NOTHING",
        6,
    )
    joined = _joined_sql([("INSERT INTO a VALUES ($1, $2, $1)", 2), ("SELECT $1 + $2", 2)])
    assert joined == "WITH w0 AS (INSERT INTO a VALUES ($1, $2, $1)) SELECT $3 + $4"
    with pytest.raises(ValueError, match="cannot join"):
        _rows_sql("WITH x AS (SELECT 1) SELECT $1", 1, 1)
    with pytest.raises(ValueError, match="several rows"):
        _rows_sql("UPDATE a SET x = $1", 1, 2)

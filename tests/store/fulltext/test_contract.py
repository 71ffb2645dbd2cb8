"""The full-text index contract, run against SQLite FTS5 and PostgreSQL tsvector + GIN."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Connection, func, select

from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext import FullTextIndex, TextRow, build_fulltext_index, dataset_texts
from tests.store.vector.support import BACKENDS, database_url, migrated


class Harness:
    def __init__(self, db: Database, index: FullTextIndex) -> None:
        self.db = db
        self.index = index

    async def add(self, *rows: TextRow) -> None:
        await self.db.run_write(lambda conn: self.index.add(conn, rows))

    async def remove(self, **kwargs: list[str]) -> None:
        await self.db.run_write(lambda conn: self.index.remove(conn, **kwargs))  # type: ignore[arg-type]

    async def ids(self, query: str, team: str = "t1", datasets: tuple[str, ...] = ("d1",), **kw: object) -> list[str]:
        hits = await self.index.search(
            team_id=team,
            dataset_ids=list(datasets),
            query_tokens=query.split(),
            limit=20,
            **kw,  # type: ignore[arg-type]
        )
        return [hit.data_id for hit in hits]


@pytest.fixture(params=BACKENDS)
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    db = await migrated(database_url(request.param, request))
    yield Harness(db, build_fulltext_index(db))
    await db.dispose()


def row(data_id: str, tokens: str, *, team: str = "t1", dataset: str = "d1", collection: str = "c1") -> TextRow:
    return TextRow(data_id=data_id, team_id=team, dataset_id=dataset, collection_id=collection, tokens=tokens)


async def test_or_of_tokens_ranked_by_relevance(harness: Harness) -> None:
    await harness.add(
        row("a", "上海 交通 大学 是 一所 大学"),
        row("b", "上海 的 天气 很 好"),
        row("c", "北京 大学 图书馆"),
        row("d", "completely unrelated english words"),
    )
    got = await harness.ids("上海 交通 大学")
    assert got[0] == "a"  # matches all three tokens
    assert set(got) == {"a", "b", "c"}  # OR: any token matches (Mongo $text semantics)
    hits = await harness.index.search(team_id="t1", dataset_ids=["d1"], query_tokens=["上海"], limit=5)
    assert {h.data_id for h in hits} == {"a", "b"} and all(h.score > 0 for h in hits)
    assert await harness.ids("Unrelated WORDS") == ["d"]  # case-folded
    assert await harness.ids("missing tokens") == []
    assert await harness.index.search(team_id="t1", dataset_ids=["d1"], query_tokens=[], limit=5) == []


async def test_query_syntax_cannot_be_injected(harness: Harness) -> None:
    await harness.add(row("x", "alpha beta gamma-delta OR near"), row("y", "zeta"))
    nasty = [
        '"',
        '""',
        'alpha"',
        "OR",
        "AND",
        "NOT",
        "NEAR(alpha",
        "*",
        "alp*",
        "tokens:zeta",
        "^zeta",
        "-zeta",
        "(",
        ")",
        "'",
        "!zeta",
        "zeta|alpha",
        "&",
        ":*",
        "\\",
        "{tokens}: zeta",
        "gamma-delta",
    ]
    for token in nasty:
        hits = await harness.index.search(team_id="t1", dataset_ids=["d1"], query_tokens=[token], limit=5)
        assert all(h.data_id in {"x", "y"} for h in hits)
    # operators are plain words: "OR" finds the row containing the word "or", not everything
    assert await harness.ids("OR") == ["x"]
    assert await harness.ids("alp*") == []  # no prefix query: "alp" is not a token, alpha is
    assert set(await harness.ids("-zeta alpha")) == {"x", "y"}  # "-" is not NOT: the word zeta matches


async def test_team_dataset_and_collection_scoping(harness: Harness) -> None:
    await harness.add(
        row("1", "shared words here", collection="c1"),
        row("2", "shared words there", collection="c2"),
        row("3", "shared words again", dataset="d2", collection="c3"),
        row("4", "shared words other team", team="t2", dataset="d9", collection="c9"),
    )
    assert set(await harness.ids("shared")) == {"1", "2"}
    assert set(await harness.ids("shared", datasets=("d1", "d2"))) == {"1", "2", "3"}
    assert await harness.ids("shared", datasets=("d9",)) == []  # another team's dataset
    assert await harness.ids("shared", team="t2", datasets=("d1",)) == []
    assert await harness.ids("shared", collection_ids=["c2"]) == ["2"]
    assert await harness.ids("shared", collection_ids=[]) == []
    assert await harness.ids("shared", forbid_collection_ids=["c1"]) == ["2"]
    # dataset ids are matched exactly, whatever characters they hold
    await harness.add(row("5", "shared odd", dataset='d-1 "x'), row("6", "shared odd", dataset="d-1"))
    assert await harness.ids("odd", datasets=('d-1 "x',)) == ["5"]
    assert await harness.ids("odd", datasets=("d-1",)) == ["6"]


async def test_remove_and_replace(harness: Harness) -> None:
    await harness.add(
        row("1", "apple one", collection="c1"),
        row("2", "apple two", collection="c2"),
        row("3", "apple three", collection="c2"),
        row("4", "apple four", dataset="d2"),
    )
    await harness.remove(data_ids=["1"])
    assert set(await harness.ids("apple")) == {"2", "3"}
    await harness.remove(collection_ids=["c2"])
    assert await harness.ids("apple") == []
    await harness.remove(dataset_ids=["d2"])
    assert await harness.ids("apple", datasets=("d2",)) == []
    await harness.add(row("5", "banana"))
    await harness.add(row("5", "cherry"))  # same data id: the text is replaced
    assert await harness.ids("banana") == []
    assert await harness.ids("cherry") == ["5"]
    count = await harness.db.run_read(lambda c: c.execute(select(func.count()).select_from(dataset_texts)).scalar())
    assert count == 1


async def test_rolled_back_writes_leave_no_trace_and_restart_keeps_rows(harness: Harness) -> None:
    await harness.add(row("keep", "persistent token"))

    def failing(conn: Connection) -> None:
        harness.index.add(conn, [row("gone", "persistent ghost")])
        harness.index.remove(conn, data_ids=["keep"])
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await harness.db.run_write(failing)
    assert await harness.ids("persistent ghost") == ["keep"]
    fresh_db = Database(harness.db.url)
    try:
        hits = await build_fulltext_index(fresh_db).search(
            team_id="t1", dataset_ids=["d1"], query_tokens=["persistent"], limit=5
        )
        assert [h.data_id for h in hits] == ["keep"]
    finally:
        await fresh_db.dispose()


async def test_larger_index_ranks_within_one_dataset(harness: Harness) -> None:
    words = [f"w{i}" for i in range(300)]
    rows = [
        row(f"r{i}", " ".join(words[(i * 7 + j) % 300] for j in range(12)), dataset=f"d{i % 50}", collection="c")
        for i in range(2000)
    ]
    await harness.db.run_write(lambda conn: harness.index.add(conn, rows))
    query = [rows[7].tokens.split()[0], "w299"]
    hits = await harness.index.search(team_id="t1", dataset_ids=["d7"], query_tokens=query, limit=10)
    assert hits and all(int(h.data_id[1:]) % 50 == 7 for h in hits)
    expected = {r.data_id for r in rows if r.dataset_id == "d7" and set(query) & set(r.tokens.split())}
    assert {h.data_id for h in hits} <= expected and len(hits) == min(10, len(expected))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # many datasets (the unscoped FTS5 query + row filter) still never leaks an unsearched dataset
    others = [f"d{i}" for i in range(50) if i != 7]
    wide = await harness.index.search(team_id="t1", dataset_ids=others, query_tokens=query, limit=50)
    assert wide and all(int(h.data_id[1:]) % 50 != 7 for h in wide)
    assert [h.score for h in wide] == sorted((h.score for h in wide), reverse=True)

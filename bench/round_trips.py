"""Database round trips of one chat round, per statement, on SQLite and PostgreSQL.

Counts what the server sends to the database while it answers `POST /api/v1/chat/completions` (a new chat
each time, the fake provider answering): SQLAlchemy executions and the chat round's prepared statements,
an `executemany` counted once (asyncpg pipelines it), writes joined into one statement (`Writes`) once. A deterministic figure next to bench/chat.py's timings:
on PostgreSQL every round trip costs the server ~150 µs of CPU.

Usage: python bench/round_trips.py [--rounds 10] [--backends sqlite,pg]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.support.live import serve  # noqa: E402
from tests.support.pg import throwaway_postgres  # noqa: E402

from bench._load import fake_provider  # noqa: E402
from pyfastgpt.store import prepared  # noqa: E402

QUESTION = {"messages": [{"role": "user", "content": "Say something short."}]}


@contextlib.contextmanager
def counting(counts: collections.Counter[str]) -> Iterator[None]:
    """Count every statement sent while the block runs (SQLAlchemy executions and Prepared statements)."""

    def short(sql: str) -> str:
        return " ".join(sql.split())[:100]

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counts[short(statement)] += 1

    original_cursor, original_many = prepared.Prepared._cursor, prepared.Prepared.execute_many
    original_send = prepared.Writes._send

    def counted_cursor(self: prepared.Prepared, conn: Any, plan: Any, params: Any) -> Any:
        counts[short(plan.sql)] += 1
        return original_cursor(self, conn, plan, params)

    def counted_many(self: prepared.Prepared, conn: Any, rows: Any) -> None:
        if len(rows) > 1:
            counts["(executemany) " + short(self._plan(conn.dialect).sql)] += 1
        original_many(self, conn, rows)

    def counted_send(self: prepared.Writes, last: Any) -> Any:
        parts = [short(statement._plan(self.conn.dialect).sql)[:40] for statement, _ in [*self._pending, last]]
        counts[f"(joined {len(parts)}) " + " + ".join(parts)] += 1
        return original_send(self, last)

    event.listen(Engine, "before_cursor_execute", on_execute)
    prepared.Writes._send = counted_send  # type: ignore[method-assign]
    prepared.Prepared._cursor = counted_cursor  # type: ignore[method-assign]
    prepared.Prepared.execute_many = counted_many  # type: ignore[method-assign]
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", on_execute)
        prepared.Prepared._cursor = original_cursor  # type: ignore[method-assign]
        prepared.Writes._send = original_send  # type: ignore[method-assign]
        prepared.Prepared.execute_many = original_many  # type: ignore[method-assign]


def measure(backend: str, rounds: int, provider: str, pg: Any) -> collections.Counter[str]:
    settings = make_settings(backend, pg, None, openai_base_url=provider, openai_api_key="x", default_llm="fake-llm")
    counts: collections.Counter[str] = collections.Counter()
    with serve(settings, backend=backend) as live, live.client(live.app_key) as client:
        for _ in range(3):  # warm caches (keys, apps, prepared plans)
            client.post("/api/v1/chat/completions", json=QUESTION).raise_for_status()
        with counting(counts):
            for _ in range(rounds):
                client.post("/api/v1/chat/completions", json=QUESTION).raise_for_status()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,pg")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        provider = stack.enter_context(fake_provider())
        for backend in args.backends.split(","):
            pg = stack.enter_context(throwaway_postgres()) if backend == "pg" else None
            counts = measure(backend, args.rounds, provider, pg)
            print(f"{backend}: {sum(counts.values()) / args.rounds:.1f} round trips per chat round")
            for statement, n in counts.most_common():
                print(f"  {n / args.rounds:4.1f}  {statement}")


if __name__ == "__main__":
    main()

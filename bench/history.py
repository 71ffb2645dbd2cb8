"""History reads at scale: getHistories and getPaginationRecords p50/p99 with many chats and chat items
in one app, SQLite and PostgreSQL, against a bare indexed SELECT of the same rows in the same run.

getHistories' database work is also timed on its own, before and after `chat_counts` (issue 15): the old
``count(*)`` of the member's chats plus the page, the maintained counter row plus the page, and the bare
page; with the query plan of each statement.

Usage: python bench/history.py [--chats 100000] [--items 1000000] [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import aiohttp  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from bench._load import free_port, process_server, server_pid, uvicorn_cmd  # noqa: E402
from bench._profile import sampled, summary  # noqa: E402
from pyfastgpt.ai.registry import build_registry  # noqa: E402
from pyfastgpt.core.config import Settings  # noqa: E402
from pyfastgpt.core.ids import nanoid, new_id  # noqa: E402
from pyfastgpt.services.apps import AppService  # noqa: E402
from pyfastgpt.services.auth import AuthContext  # noqa: E402
from pyfastgpt.services.history import HistoryService  # noqa: E402
from pyfastgpt.services.history.records import PAGE_WITH_RESPONSES  # noqa: E402
from pyfastgpt.services.history.service import HistoryQuery  # noqa: E402
from pyfastgpt.store.db import Database  # noqa: E402
from pyfastgpt.store.models import Chat, ChatItem  # noqa: E402
from pyfastgpt.store.models.chat_counts import ChatCount, rebuild_chat_counts  # noqa: E402

BATCH = 5000


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def populate(url: str, app_id: str, team_id: str, tmb_id: str, chats: int, items: int) -> list[str]:
    """Bulk-insert `chats` chats and `items` chat items (evenly spread) owned by the app key's member."""
    db = Database(url)
    now = datetime.now(UTC)
    chat_ids = [nanoid(24) for _ in range(chats)]
    per_chat = max(1, items // chats)
    try:
        for start in range(0, chats, BATCH):
            rows = [
                {
                    "id": new_id(),
                    "chat_id": cid,
                    "team_id": team_id,
                    "tmb_id": tmb_id,
                    "app_id": app_id,
                    "title": f"chat {start + i}",
                    "custom_title": "",
                    "top": False,
                    "source": "api",
                    "source_name": "bench",
                    "welcome_text": "",
                    "variables": {},
                    "metadata": {},
                    "has_good_feedback": False,
                    "has_bad_feedback": False,
                    "error_count": 0,
                    "chat_generate_status": 1,
                    "create_time": now - timedelta(seconds=chats - start - i),
                    "update_time": now - timedelta(seconds=chats - start - i),
                }
                for i, cid in enumerate(chat_ids[start : start + BATCH])
            ]
            await db.run_write(lambda conn, rows=rows: conn.execute(insert(Chat.__table__), rows))
        pending: list[dict[str, Any]] = []
        for index, cid in enumerate(chat_ids):
            for turn in range(per_chat):
                pending.append(
                    {
                        "data_id": nanoid(24),
                        "team_id": team_id,
                        "tmb_id": tmb_id,
                        "chat_id": cid,
                        "app_id": app_id,
                        "obj": "Human" if turn % 2 == 0 else "AI",
                        "value": [{"type": "text", "text": {"content": f"message {index}-{turn}"}}],
                        "time": now,
                        "hide_in_ui": False,
                        "total_points": 0.0,
                        "is_feedback_read": False,
                    }
                )
            if len(pending) >= BATCH or index == len(chat_ids) - 1:
                batch, pending = pending, []
                await db.run_write(lambda conn, batch=batch: conn.execute(insert(ChatItem.__table__), batch))
        # the bulk insert bypasses the round's upkeep: the migration's backfill counts the app's chats
        started = time.perf_counter()
        await db.run_write(lambda conn: rebuild_chat_counts(conn, app_id))
        print(f"  chat_counts backfill of {chats} chats: {(time.perf_counter() - started) * 1000:.0f} ms")
        if not db.is_sqlite:
            await db.run_write(lambda conn: conn.execute(text("ANALYZE")))
    finally:
        await db.dispose()
    return chat_ids


# The bare SELECTs run as the routes run their reads: each statement on its own (no BEGIN/ROLLBACK round trips on
# PostgreSQL) and, on SQLite, on the event loop (no reader-thread hop).
ROUTE_READ: dict[str, bool] = {"autocommit": True, "short": True}


async def bare_selects(
    url: str, app_id: str, tmb_id: str, chat_ids: list[str], n: int
) -> tuple[list[float], list[float]]:
    db = Database(url)
    histories: list[float] = []
    records: list[float] = []
    try:
        for _ in range(n):
            offset = random.randrange(0, 1000)
            started = time.perf_counter()
            await db.run_read(
                lambda conn, offset=offset: conn.execute(
                    select(Chat.chat_id, Chat.title, Chat.update_time, Chat.top)
                    .where(Chat.app_id == app_id, Chat.tmb_id == tmb_id, Chat.delete_time.is_(None))
                    .order_by(Chat.top.desc(), Chat.update_time.desc())
                    .offset(offset)
                    .limit(20)
                ).all(),
                **ROUTE_READ,
            )
            histories.append((time.perf_counter() - started) * 1000)
            cid = random.choice(chat_ids)
            started = time.perf_counter()
            await db.run_read(
                lambda conn, cid=cid: conn.execute(
                    select(ChatItem.data_id, ChatItem.obj, ChatItem.value)
                    .where(ChatItem.app_id == app_id, ChatItem.chat_id == cid, ChatItem.delete_time.is_(None))
                    .order_by(ChatItem.id.desc())
                    .limit(10)
                ).all(),
                **ROUTE_READ,
            )
            records.append((time.perf_counter() - started) * 1000)
    finally:
        await db.dispose()
    return histories, records


def history_statements(app_id: str, team_id: str, tmb_id: str, offset: int) -> dict[str, Any]:
    """getHistories' statements without a time range: the page, the old full count, the counter row."""
    member = (Chat.app_id == app_id, Chat.team_id == team_id, Chat.tmb_id == tmb_id, Chat.delete_time.is_(None))
    return {
        "page": select(Chat)
        .where(*member)
        .order_by(Chat.top.desc(), Chat.update_time.desc(), Chat.id.desc())
        .offset(offset)
        .limit(20),
        "count(*)": select(func.count()).select_from(Chat).where(*member),
        "chat_counts": select(ChatCount.chats).where(
            ChatCount.app_id == app_id,
            ChatCount.team_id == team_id,
            ChatCount.tmb_id == tmb_id,
            ChatCount.out_link_uid == "",
            ChatCount.source == "",
        ),
    }


async def db_work(url: str, app_id: str, team_id: str, tmb_id: str, n: int) -> dict[str, list[float]]:
    """p50s of getHistories' database work: bare page, old (count(*) + page), new (counter row + page)."""
    db = Database(url)
    timings: dict[str, list[float]] = {"bare page": [], "old: count(*) + page": [], "new: chat_counts + page": []}
    try:
        for _ in range(n):
            statements = history_statements(app_id, team_id, tmb_id, random.randrange(0, 1000))
            for name, parts in (
                ("bare page", ("page",)),
                ("old: count(*) + page", ("count(*)", "page")),
                ("new: chat_counts + page", ("chat_counts", "page")),
            ):
                started = time.perf_counter()
                await db.run_read(
                    lambda conn, parts=parts, statements=statements: [conn.execute(statements[p]).all() for p in parts]
                )
                timings[name].append((time.perf_counter() - started) * 1000)
    finally:
        await db.dispose()
    return timings


async def service_calls(
    url: str, app_id: str, team_id: str, tmb_id: str, chat_ids: list[str], n: int
) -> tuple[list[float], list[float]]:
    """getHistories and getPaginationRecords without HTTP: the service calls (app check, the reads, the shaping)
    on the pages the bare SELECTs read."""
    db = Database(url)
    history = HistoryService(db, AppService(db), build_registry(Settings()))
    ctx = AuthContext(team_id=team_id, tmb_id=tmb_id, auth_type="apikey", key_id="bench")
    histories: list[float] = []
    records: list[float] = []
    try:
        for _ in range(n):
            query = HistoryQuery(app_id=app_id, offset=random.randrange(0, 1000), page_size=20)
            started = time.perf_counter()
            await history.list_histories(ctx, query)
            histories.append((time.perf_counter() - started) * 1000)
            chat_id = random.choice(chat_ids)
            started = time.perf_counter()
            await history.page_records(ctx, app_id, chat_id, offset=0, page_size=10, custom_feedbacks=False)
            records.append((time.perf_counter() - started) * 1000)
    finally:
        await db.dispose()
    return histories, records


async def query_plans(url: str, app_id: str, team_id: str, tmb_id: str, chat_id: str) -> dict[str, list[str]]:
    """The plans of getHistories' statements and of getPaginationRecords' page (with its count and responses)."""
    db = Database(url)
    plans: dict[str, list[str]] = {}
    records_page = PAGE_WITH_RESPONSES.statement.params(b_app=app_id, b_chat=chat_id, b_offset=0, b_limit=10)
    try:
        for name, statement in [
            *history_statements(app_id, team_id, tmb_id, 500).items(),
            ("records page", records_page),
        ]:

            def explain(conn: Any, statement: Any = statement) -> list[str]:
                compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
                prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
                return [" ".join(str(c) for c in row[-1:]) for row in conn.execute(text(prefix + str(compiled)))]

            plans[name] = await db.run_read(explain)
    finally:
        await db.dispose()
    return plans


async def api_calls(
    base: str, key: str, app_id: str, chat_ids: list[str], n: int
) -> tuple[list[float], list[float], list[float]]:
    """getHistories and getPaginationRecords over HTTP, and the HTTP floor: `GET /healthz` (no database,
    no auth) on the same connection, interleaved so all three see the same load."""
    histories: list[float] = []
    records: list[float] = []
    floor: list[float] = []
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {key}"}) as session:
        for _ in range(n):
            started = time.perf_counter()
            async with session.get(base + "/healthz") as response:
                await response.read()
            floor.append((time.perf_counter() - started) * 1000)
            body = {"appId": app_id, "offset": random.randrange(0, 1000), "pageSize": 20}
            started = time.perf_counter()
            async with session.post(base + "/api/core/chat/getHistories", json=body) as response:
                assert response.status == 200, await response.text()
                await response.read()
            histories.append((time.perf_counter() - started) * 1000)
            body = {"appId": app_id, "chatId": random.choice(chat_ids), "offset": 0, "pageSize": 10}
            started = time.perf_counter()
            async with session.post(base + "/api/core/chat/getPaginationRecords", json=body) as response:
                assert response.status == 200, await response.text()
                await response.read()
            records.append((time.perf_counter() - started) * 1000)
    return histories, records, floor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--profile", action="store_true", help="sample one more round of API calls with py-spy")
    args = parser.parse_args()
    from tests.support.pg import throwaway_postgres

    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        cluster = stack.enter_context(throwaway_postgres()) if "postgresql" in args.backends else None
        for backend in args.backends.split(","):
            data_dir = tempfile.mkdtemp(prefix=f"bench-history-{backend}-")
            env = {
                "DATA_DIR": data_dir,
                "ROOT_KEY": "bench-root",
                "LOG_LEVEL": "WARNING",
                "TRAINING_WORKERS": "0",
                "LOCAL_LLM_ENABLED": "false",
            }
            if backend == "postgresql":
                assert cluster is not None
                env["DATABASE_URL"] = cluster.new_database()
            port = free_port()
            base = stack.enter_context(
                process_server(uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True), port, env)
            )
            credentials = json.loads((Path(data_dir) / "credentials.json").read_text())
            url = env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{Path(data_dir).resolve() / 'pyfastgpt.db'}"

            async def owner(url: str = url) -> tuple[str, str]:
                db = Database(url)
                try:
                    row = await db.run_read(
                        lambda conn: conn.execute(
                            text("SELECT value FROM system_settings WHERE key = 'default_team'")
                        ).scalar_one()
                    )
                finally:
                    await db.dispose()
                value = row if isinstance(row, dict) else json.loads(row)
                return str(value["team_id"]), str(value["tmb_id"])

            team_id, tmb_id = asyncio.run(owner())
            started = time.perf_counter()
            chat_ids = asyncio.run(populate(url, credentials["appId"], team_id, tmb_id, args.chats, args.items))
            print(
                f"{backend}: inserted {args.chats} chats / {args.items} items in {time.perf_counter() - started:.0f} s"
            )
            bare_h, bare_r = asyncio.run(bare_selects(url, credentials["appId"], tmb_id, chat_ids, args.requests))
            work = asyncio.run(db_work(url, credentials["appId"], team_id, tmb_id, args.requests))
            bare_work = statistics.median(work["bare page"])
            for name, values in work.items():
                print(
                    f"{backend:<11} getHistories DB work {name:<24} p50 {statistics.median(values):7.2f} ms"
                    f"  p99 {pct(values, 99):7.2f} ms   ratio p50 {statistics.median(values) / bare_work:5.1f}x"
                )
            service_h, service_r = asyncio.run(
                service_calls(url, credentials["appId"], team_id, tmb_id, chat_ids, args.requests)
            )
            for name, service, bare in (
                ("getHistories", service_h, bare_h),
                ("getPaginationRecords", service_r, bare_r),
            ):
                print(
                    f"{backend:<11} {name} service call (no HTTP) p50 {statistics.median(service):6.2f} ms"
                    f"  p99 {pct(service, 99):6.2f} ms   ratio p50 {statistics.median(service) / statistics.median(bare):4.1f}x"
                    f" the bare SELECT (p50 {statistics.median(bare):5.2f} ms)"
                )
            for name, plan in asyncio.run(query_plans(url, credentials["appId"], team_id, tmb_id, chat_ids[0])).items():
                print(f"{backend:<11} plan {name}:")
                for line in plan:
                    print(f"              {line}")
            api_h, api_r, floor = asyncio.run(
                api_calls(base, credentials["appKey"], credentials["appId"], chat_ids, args.requests)
            )
            if args.profile:
                profile = Path(data_dir) / "profile.txt"
                with sampled(server_pid(port), profile, gil=True):
                    asyncio.run(api_calls(base, credentials["appKey"], credentials["appId"], chat_ids, args.requests))
                print(f"--- {backend}: where the server's CPU went (getHistories + getPaginationRecords, py-spy)")
                print(summary(profile, top=40))
            for name, api, bare in (("getHistories", api_h, bare_h), ("getPaginationRecords", api_r, bare_r)):
                above_floor = statistics.median(api) - statistics.median(floor)
                line = (
                    f"{backend:<11} {name:<22} p50 {statistics.median(api):7.2f} ms  p99 {pct(api, 99):7.2f} ms"
                    f"   bare SELECT p50 {statistics.median(bare):6.2f} ms  p99 {pct(bare, 99):6.2f} ms"
                    f"   ratio p50 {statistics.median(api) / statistics.median(bare):5.1f}x"
                    f"   | HTTP floor (GET /healthz) p50 {statistics.median(floor):5.2f} ms; route above it"
                    f" {above_floor:5.2f} ms = {above_floor / statistics.median(bare):4.1f}x bare"
                )
                print(line)
                rows.append(
                    {
                        "backend": backend,
                        "route": name,
                        "p50": round(statistics.median(api), 2),
                        "p99": round(pct(api, 99), 2),
                        "bare_p50": round(statistics.median(bare), 2),
                        "bare_p99": round(pct(bare, 99), 2),
                    }
                )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

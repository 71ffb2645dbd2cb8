"""Stream resume: what mirroring costs a v2 stream, how fast a reattach replays, and why the mirror
is a table polled by other replicas rather than PostgreSQL LISTEN/NOTIFY.

Figures, per backend (SQLite, PostgreSQL), one uvicorn worker each:
- 100 concurrent v2 streams (20-chunk replies at zero delay) with `x-fastgpt-stream-resume` off and
  on: streams/s and server CPU ms per stream, and the on/off ratio;
- reattach → first replayed byte (ms), on the instance running the stream (memory) and on a second
  instance of the same database (the `chat_stream_events` table);
- PostgreSQL only: one 10-row flush with and without a NOTIFY in the same transaction, and the
  delivery delay of a committed chunk to a LISTENing reader vs a reader polling every 100 ms.

Usage: python bench/resume.py [--seconds 3] [--backends sqlite,postgresql] [--reattaches 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402
import psutil  # noqa: E402

from bench._load import free_port, process_server, uvicorn_cmd  # noqa: E402

QUESTION = {"role": "user", "content": "Say something short."}
CONCURRENCY = 100


def provider(port: int, delay_s: float) -> None:
    """A fake provider whose 20-chunk reply waits `delay_s` between chunks (run as a subprocess)."""
    import uvicorn
    from tests.fake_llm.script import FakeState, Reply
    from tests.fake_llm.server import FakeServer

    state = FakeState()
    state.rule("", Reply(content="one two three four five six seven eight nine ten " * 2, chunks=20, delay_s=delay_s))
    uvicorn.run(FakeServer(state).app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def pid_of(port: int) -> int:
    return next(p.pid for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] and str(port) in p.info["cmdline"])


async def stream_batch(url: str, headers: dict[str, str], seconds: float) -> int:
    """Closed loop of CONCURRENCY v2 streams for `seconds`; returns how many finished."""
    done = 0
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        end = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < end:
                body = {"messages": [QUESTION], "stream": True, "chatId": f"b{time.perf_counter_ns()}"}
                async with session.post(url, json=body) as response:
                    async for _ in response.content.iter_any():
                        pass
                done += 1

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return done


async def reattach_ms(
    start_base: str, resume_base: str, headers: dict[str, str], app_id: str, count: int
) -> list[float]:
    """Start a slow stream on `start_base`, drop it after its first chunk, reattach on `resume_base`:
    milliseconds from the resume request to the first replayed chunk."""
    found: list[float] = []
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        for index in range(count):
            chat_id = f"r{index}-{time.perf_counter_ns()}"
            body = {"messages": [QUESTION], "stream": True, "chatId": chat_id}
            async with client.stream(
                "POST", start_base + "/api/v2/chat/completions", json=body, headers={"x-fastgpt-stream-resume": "1"}
            ) as response:
                async for chunk in response.aiter_bytes():
                    if b"one" in chunk:
                        break
            await asyncio.sleep(0.1)  # let the mirror reach the table
            started = time.perf_counter()
            params = {"appId": app_id, "chatId": chat_id}
            async with client.stream(
                "GET", resume_base + "/api/core/chat/resume", params=params, headers={"Accept": "text/event-stream"}
            ) as response:
                seen = b""
                async for chunk in response.aiter_bytes():
                    seen += chunk
                    if b"data: {" in seen:
                        found.append((time.perf_counter() - started) * 1000)
                        break
            await asyncio.sleep(1.2)  # the round ends before the next one
    return found


async def notify_vs_table(url: str) -> dict[str, float]:
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    writer = await asyncpg.connect(dsn)
    listener = await asyncpg.connect(dsn)
    poller = await asyncpg.connect(dsn)
    try:
        await writer.execute(
            "CREATE TABLE IF NOT EXISTS bench_events (id bigserial primary key, run_id text, seq int, data text)"
        )
        await writer.execute("CREATE INDEX IF NOT EXISTS bench_events_run ON bench_events (run_id, seq)")
        rows = [("run", i, "data: {" + "x" * 150 + "}\n\n") for i in range(10)]

        async def flush(notify: bool, n: int) -> float:
            started = time.perf_counter()
            for _ in range(n):
                async with writer.transaction():
                    await writer.executemany("INSERT INTO bench_events (run_id, seq, data) VALUES ($1, $2, $3)", rows)
                    if notify:
                        await writer.execute("NOTIFY bench_chan, 'run'")
            return (time.perf_counter() - started) / n * 1000

        await flush(False, 50)  # warm up
        plain_runs, notify_runs = [], []
        for _ in range(6):  # interleaved, so drift hits both alike
            plain_runs.append(await flush(False, 50))
            notify_runs.append(await flush(True, 50))
        plain, notified = statistics.median(plain_runs), statistics.median(notify_runs)
        received: asyncio.Queue[float] = asyncio.Queue()
        await listener.add_listener("bench_chan", lambda *_: received.put_nowait(time.perf_counter()))
        notify_delays = []
        for _ in range(30):
            sent = time.perf_counter()
            async with writer.transaction():
                await writer.execute("INSERT INTO bench_events (run_id, seq, data) VALUES ('n', 0, '')")
                await writer.execute("NOTIFY bench_chan, 'run'")
            notify_delays.append((await received.get() - sent) * 1000)
        poll_delays: list[float] = []
        poll_query: list[float] = []
        last = await poller.fetchval("SELECT coalesce(max(id), 0) FROM bench_events")
        sent_at: dict[int, float] = {}

        async def poll_forever() -> None:
            nonlocal last
            while True:  # a reader of another replica: one indexed range read every 100 ms
                q = time.perf_counter()
                found = await poller.fetch("SELECT id FROM bench_events WHERE id > $1 ORDER BY id", last)
                poll_query.append((time.perf_counter() - q) * 1000)
                for record in found:
                    last = record["id"]
                    if last in sent_at:
                        poll_delays.append((time.perf_counter() - sent_at.pop(last)) * 1000)
                await asyncio.sleep(0.1)

        polling = asyncio.create_task(poll_forever())
        for step in range(30):
            await asyncio.sleep(0.037 * (1 + step % 3))  # commits land anywhere in the poll period
            new_id = await writer.fetchval(
                "INSERT INTO bench_events (run_id, seq, data) VALUES ('p', 0, '') RETURNING id"
            )
            sent_at[new_id] = time.perf_counter()
        await asyncio.sleep(0.25)
        polling.cancel()
        return {
            "flush_ms": round(plain, 3),
            "flush_notify_ms": round(notified, 3),
            "notify_delivery_p50_ms": round(statistics.median(notify_delays), 2),
            "poll_delivery_p50_ms": round(statistics.median(poll_delays), 2),
            "poll_query_p50_ms": round(statistics.median(poll_query), 3),
        }
    finally:
        for conn in (writer, listener, poller):
            await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--reattaches", type=int, default=15)
    parser.add_argument("--provider", nargs=2, metavar=("PORT", "DELAY"))
    args = parser.parse_args()
    if args.provider:
        provider(int(args.provider[0]), float(args.provider[1]))
        return
    from tests.support.pg import throwaway_postgres

    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        fast_port, slow_port = free_port(), free_port()
        here = str(Path(__file__).resolve())
        fast = stack.enter_context(
            process_server([sys.executable, here, "--provider", str(fast_port), "0"], fast_port, health="/v1/models")
        )
        slow = stack.enter_context(
            process_server([sys.executable, here, "--provider", str(slow_port), "0.05"], slow_port, health="/v1/models")
        )
        cluster = stack.enter_context(throwaway_postgres()) if "postgresql" in args.backends else None
        print(f"resume bench: {CONCURRENCY} concurrent v2 streams, {args.seconds:.0f} s per point; 1 uvicorn worker")
        for backend in args.backends.split(","):
            row: dict[str, Any] = {"backend": backend}
            for provider_base, label in ((fast, "fast"), (slow, "slow")):
                data_dir = tempfile.mkdtemp(prefix=f"bench-resume-{backend}-")
                env = {
                    "DATA_DIR": data_dir,
                    "ROOT_KEY": "bench-root",
                    "LOG_LEVEL": "WARNING",
                    "OPENAI_BASE_URL": provider_base + "/v1",
                    "OPENAI_API_KEY": "x",
                    "DEFAULT_LLM": "fake-llm",
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
                headers = {"Authorization": f"Bearer {credentials['appKey']}"}
                if label == "fast":
                    pid = pid_of(port)
                    url = base + "/api/v2/chat/completions"
                    asyncio.run(stream_batch(url, headers, 1.0))  # warm up
                    for mode, extra in (("off", {}), ("on", {"x-fastgpt-stream-resume": "1"})):
                        cpu = cpu_seconds(pid)
                        started = time.perf_counter()
                        done = asyncio.run(stream_batch(url, {**headers, **extra}, args.seconds))
                        elapsed = time.perf_counter() - started
                        row[f"streams_s_{mode}"] = round(done / elapsed, 1)
                        row[f"cpu_ms_{mode}"] = round((cpu_seconds(pid) - cpu) / max(done, 1) * 1000, 2)
                    row["cpu_ratio"] = round(row["cpu_ms_on"] / row["cpu_ms_off"], 3)
                    row["throughput_ratio"] = round(row["streams_s_on"] / row["streams_s_off"], 3)
                else:
                    other_port = free_port()
                    other = stack.enter_context(
                        process_server(
                            uvicorn_cmd("pyfastgpt.app:create_app", other_port, factory=True), other_port, env
                        )
                    )
                    app_id = credentials["appId"]
                    local = asyncio.run(reattach_ms(base, base, headers, app_id, args.reattaches))
                    remote = asyncio.run(reattach_ms(base, other, headers, app_id, args.reattaches))
                    row["reattach_local_p50_ms"] = round(statistics.median(local), 2)
                    row["reattach_local_max_ms"] = round(max(local), 2)
                    row["reattach_other_instance_p50_ms"] = round(statistics.median(remote), 2)
                    row["reattach_other_instance_max_ms"] = round(max(remote), 2)
            if backend == "postgresql":
                assert cluster is not None
                row.update(asyncio.run(notify_vs_table(cluster.new_database())))
            print(json.dumps(row))
            rows.append(row)
        print(json.dumps(rows))


if __name__ == "__main__":
    main()

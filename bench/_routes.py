"""Shared by the benches that time a console route over HTTP against a bare SELECT of the same rows: one
`pyfastgpt` server per backend on a fresh data dir, and the figures line."""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

from bench._load import free_port, process_server, uvicorn_cmd

ROOT_KEY = "bench-root-key"


def servers(stack: ExitStack, backends: Sequence[str], name: str) -> Iterator[tuple[str, str, str]]:
    """(backend, base URL, database URL) per backend, each server started when its turn comes and stopped with
    ``stack``; PostgreSQL databases come from one throwaway cluster. No training workers, no local LLM."""
    from tests.support.pg import throwaway_postgres

    cluster = stack.enter_context(throwaway_postgres()) if "postgresql" in backends else None
    for backend in backends:
        data_dir = tempfile.mkdtemp(prefix=f"bench-{name}-{backend}-")
        env = {"DATA_DIR": data_dir, "ROOT_KEY": ROOT_KEY, "LOG_LEVEL": "WARNING", "TRAINING_WORKERS": "0",
               "LOCAL_LLM_ENABLED": "false"}  # fmt: skip
        if cluster is not None and backend == "postgresql":
            env["DATABASE_URL"] = cluster.new_database()
        port = free_port()
        base = stack.enter_context(
            process_server(uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True), port, env)
        )
        yield (
            backend,
            base,
            env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{Path(data_dir).resolve() / 'pyfastgpt.db'}",
        )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def figures(backend: str, route: str, api: list[float], bare: list[float], floor: list[float]) -> str:
    """p50/p99 of the route, the bare SELECT's p50, their ratio, and the route above the HTTP floor."""
    above = statistics.median(api) - statistics.median(floor)
    return (
        f"{backend:<11} {route:<35} p50 {statistics.median(api):7.2f} ms  p99 {pct(api, 99):7.2f} ms"
        f"   bare SELECT p50 {statistics.median(bare):6.2f} ms"
        f"   ratio p50 {statistics.median(api) / statistics.median(bare):5.1f}x"
        f"   | HTTP floor p50 {statistics.median(floor):5.2f} ms; route above it {above:6.2f} ms"
        f" = {above / statistics.median(bare):4.1f}x bare"
    )

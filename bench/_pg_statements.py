"""Where a local PostgreSQL server's CPU goes, per statement, from its own resource accounting.

`log_statement_stats = on` (set for one database) makes the server log, after each protocol message, the
user and system CPU seconds the backend spent on it, followed by the statement's text. `StatementLog` marks
the server log's length when a window opens and, when asked, sums the CPU of the messages logged since,
grouped by statement (its first words) and message kind (simple query, or the parse, bind and execute
messages of the extended protocol that asyncpg uses).

The accounting costs the server some CPU of its own (a few log lines per statement): figures taken this way
show the shares of the server's time; the bench's ratios of such a run are not comparable to a plain run's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

_MESSAGE = re.compile(r"LOG:  (?:(PARSE|BIND|EXECUTE) MESSAGE|QUERY) STATISTICS")
_USAGE = re.compile(r"!\t([\d.]+) s user, ([\d.]+) s system, [\d.]+ s elapsed")
_STATEMENT = re.compile(r"STATEMENT:  (.*)")
_SHOWN_CHARS = 90


@dataclass(frozen=True, slots=True)
class StatementCpu:
    statement: str  # its first characters
    kind: str  # query, parse, bind or execute
    seconds: float
    messages: int


def enable_sql(database: str) -> str:
    """The statement (for a superuser) that turns the accounting on for new sessions of ``database``."""
    return f"ALTER DATABASE {database} SET log_statement_stats = on"


class StatementLog:
    def __init__(self, log: Path) -> None:
        self.log = log
        self._start = 0

    def open_window(self) -> None:
        self._start = self.log.stat().st_size

    def window(self) -> list[StatementCpu]:
        """The CPU of the statements logged since `open_window`, most first."""
        with self.log.open("rb") as handle:
            handle.seek(self._start)
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
        totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
        kind, seconds, statement = "", 0.0, ""

        def close() -> None:
            if kind:
                entry = totals[statement, kind]
                entry[0] += seconds
                entry[1] += 1

        for line in lines:
            if message := _MESSAGE.search(line):
                close()
                kind, seconds, statement = (message.group(1) or "query").lower(), 0.0, ""
            elif kind and (usage := _USAGE.search(line)):
                seconds = float(usage.group(1)) + float(usage.group(2))
            elif kind and (text := _STATEMENT.search(line)):
                statement = text.group(1)[:_SHOWN_CHARS]
        close()
        found = [StatementCpu(text, kind, total, int(count)) for (text, kind), (total, count) in totals.items()]
        return sorted(found, key=lambda entry: -entry.seconds)


def report(entries: list[StatementCpu], top: int = 8) -> str:
    total = sum(entry.seconds for entry in entries)
    rows = [f"database CPU per statement (log_statement_stats), {total:.2f} s in all:"]
    rows += [
        f"  {entry.seconds:6.3f} s {100 * entry.seconds / total if total else 0:4.0f}%  {entry.messages:6d} "
        f"{entry.kind:<8} {entry.statement}"
        for entry in entries[:top]
    ]
    return "\n".join(rows)

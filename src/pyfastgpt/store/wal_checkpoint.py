"""Background WAL checkpoints for the SQLite database.

By default SQLite checkpoints inside the COMMIT that pushes the WAL past 1,000 pages, so every
~80th chat round paid for copying the WAL back into the database file (and its fsync). The hot
writer connection now only checkpoints as a safety net (`SAFETY_NET_PAGES`); this thread runs
`PRAGMA wal_checkpoint(PASSIVE)` on a connection of its own once a second when something was
written. PASSIVE never blocks readers or the writer: what it cannot copy now, it copies next time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

SAFETY_NET_PAGES = 20_000  # ~80 MB of WAL with 4 KiB pages: the writer checkpoints itself past this


class WalCheckpointer:
    """Checkpoints `path` every `interval_s` seconds while `written()` keeps changing."""

    def __init__(self, path: str, written: Callable[[], int], *, interval_s: float = 1.0) -> None:
        self._path = path
        self._written = written
        self._interval_s = interval_s
        self._stop = threading.Event()
        self.checkpoints = 0
        self._thread = threading.Thread(target=self._serve, name="sqlite-checkpointer", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _serve(self) -> None:
        seen = self._written()
        connection = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        try:
            connection.execute("PRAGMA busy_timeout=1000")
            while not self._stop.wait(self._interval_s):
                written = self._written()
                if written == seen:
                    continue
                seen = written
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error as exc:  # busy or locked: the next round tries again
                    log.debug("WAL checkpoint skipped: %s", exc)
        finally:
            connection.close()

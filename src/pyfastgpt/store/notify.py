"""PostgreSQL notifications for in-process caches that other replicas' changes must reach.

`ChangeListener` holds one connection of its own (outside the pool), LISTENs on its channels and hands each
notification's payload to the channel's handler. `on_state(True)` says it is listening; when the connection is
lost it says `on_state(False)` at once, since what was sent meanwhile is lost and a cache must then
forget everything and keep nothing until the listener is back. It connects again every `retry_s`.
A transaction-pooling PgBouncer accepts LISTEN but never delivers: point `DATABASE_URL` at PostgreSQL
itself or a session pool, or turn the caches off (`CREDENTIAL_CACHE_S=0`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping

import asyncpg
from sqlalchemy import make_url

log = logging.getLogger(__name__)

# the channels of migration 0013's triggers, and their payloads
API_KEY_CHANGES = "api_key_changes"  # the key's hash
SHARE_LINK_CHANGES = "share_link_changes"  # the link's shareId
APP_CHANGES = "app_changes"  # the app's id
_CONNECT_TIMEOUT_S = 10.0


def driver_dsn(url: str) -> str:
    """The libpq form of a SQLAlchemy `postgresql+asyncpg://` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class ChangeListener:
    def __init__(
        self,
        url: str,
        handlers: Mapping[str, Callable[[str], None]],
        *,
        on_state: Callable[[bool], None],
        retry_s: float = 1.0,
    ) -> None:
        self.channels = ", ".join(handlers)
        self.live = False
        self._dsn = driver_dsn(url)
        self._handlers = dict(handlers)
        self._on_state = on_state
        self._retry_s = retry_s
        self._tried = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start listening; returns after the first attempt, listening or not (it keeps trying)."""
        self._task = asyncio.create_task(self._serve(), name=f"listen {self.channels}")
        await self._tried.wait()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _serve(self) -> None:
        while True:
            try:
                await self._listen_until_lost()
            except Exception as error:  # whatever breaks it, the caches go off and it tries again
                log.warning(
                    "LISTEN %s failed (%s); caches it keeps fresh stay off until it is back", self.channels, error
                )
            finally:
                self._set_live(False)
                self._tried.set()
            await asyncio.sleep(self._retry_s)

    async def _listen_until_lost(self) -> None:
        connection = await asyncpg.connect(self._dsn, timeout=_CONNECT_TIMEOUT_S)
        lost = asyncio.Event()
        try:
            connection.add_termination_listener(lambda _connection: lost.set())
            for channel in self._handlers:
                await connection.add_listener(channel, self._notified)
            self._set_live(True)
            self._tried.set()
            await lost.wait()
            log.warning("LISTEN %s: connection lost", self.channels)
        finally:
            connection.terminate()

    def _notified(self, _connection: object, _pid: int, channel: str, payload: str) -> None:
        self._handlers[channel](payload)

    def _set_live(self, live: bool) -> None:
        if live != self.live:
            self.live = live
            self._on_state(live)

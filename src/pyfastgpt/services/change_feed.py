"""What a PostgreSQL replica caches of the rows other replicas change: kept fresh by the database's notifications.

Migration 0013's triggers notify `api_key_changes` (the key's hash), `share_link_changes` (the shareId) and
`app_changes` (the app id) when such a change commits; one listener per replica drops that entry.
Credentials (API keys, share links) are kept only while the listener hears every change: while it is down the
caches keep nothing and every request reads its row, so a credential changed on one replica is never served
stale by another for longer than the notification takes. Apps keep their few seconds' TTL either way (a
published version reaches the other replicas at once while listening, within the TTL otherwise).
SQLite needs none of this: one process owns the file and drops what it changes itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.services.apps import AppService
from pyfastgpt.store.db import Database
from pyfastgpt.store.notify import API_KEY_CHANGES, APP_CHANGES, SHARE_LINK_CHANGES, ChangeListener


async def listen_for_changes(
    db: Database, credential_ttl_s: float, *, keys: TtlCache[str, Any], links: TtlCache[str, Any], apps: AppService
) -> ChangeListener | None:
    """Keep credentials `credential_ttl_s` while listening (0: never); None on SQLite."""
    if db.is_sqlite:
        return None
    credentials = (keys, links)

    def switch(live: bool) -> None:
        for cache in credentials:
            cache.switch(credential_ttl_s if live else 0.0)

    handlers: dict[str, Callable[[str], None]] = {
        API_KEY_CHANGES: keys.pop,
        SHARE_LINK_CHANGES: links.pop,
        APP_CHANGES: apps.forget,
    }
    listener = ChangeListener(db.url, handlers, on_state=switch)
    await listener.start()
    return listener

"""The credential caches of a PostgreSQL replica (API keys, share links) kept only while it hears every change.

Migration 0013's triggers notify `api_key_changes` / `share_link_changes` with the key's hash / the link's
shareId when a change that decides who the credential is or whether it is refused commits; the listener drops
that entry. While the listener is down the caches keep nothing and every request reads its row, so a
credential changed on one replica is never served stale by another for longer than the notification takes.
SQLite needs none of this: one process owns the file and drops what it changes itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.store.db import Database
from pyfastgpt.store.notify import API_KEY_CHANGES, SHARE_LINK_CHANGES, ChangeListener


async def listen_for_credential_changes(
    db: Database, ttl_s: float, *, keys: TtlCache[str, Any], links: TtlCache[str, Any]
) -> ChangeListener | None:
    """Keep entries `ttl_s` in both caches while listening; None (caches stay off) on SQLite or `ttl_s <= 0`."""
    if db.is_sqlite or ttl_s <= 0:
        return None
    caches: Sequence[TtlCache[str, Any]] = (keys, links)

    def switch(live: bool) -> None:
        for cache in caches:
            cache.switch(ttl_s if live else 0.0)

    listener = ChangeListener(db.url, {API_KEY_CHANGES: keys.pop, SHARE_LINK_CHANGES: links.pop}, on_state=switch)
    await listener.start()
    return listener

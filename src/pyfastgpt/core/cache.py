"""A small in-process TTL cache for hot reads (API keys, published apps).

Entries expire after `ttl_s`, so several processes converge within that time; the process that
changes a cached row invalidates it at once. A change that other replicas must see at once (a
revoked API key or share link) cannot wait for the TTL: on PostgreSQL such a cache is kept only while
the database's notifications reach this process (`services/change_feed.py`), and is off otherwise
(`ttl_s <= 0`: it keeps nothing, every request reads its row).

A read that raced an invalidation must not put back what it read before the change: take
`generation` before reading and hand it to `put(since=...)`, which keeps nothing if anything was
dropped meanwhile.
"""

from __future__ import annotations

import time
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(self, ttl_s: float, max_entries: int = 10_000) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._data: dict[K, tuple[float, V]] = {}
        self.generation = 0  # moves on every pop, clear and switch

    def get(self, key: K) -> V | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            self._data.pop(key, None)
            return None
        return value

    def put(self, key: K, value: V, *, since: int | None = None) -> None:
        if self.ttl_s <= 0 or (since is not None and since != self.generation):
            return
        if len(self._data) >= self.max_entries:
            now = time.monotonic()
            for stale in [k for k, (exp, _) in self._data.items() if exp < now]:
                del self._data[stale]
            if len(self._data) >= self.max_entries:
                self._data.clear()
        self._data[key] = (time.monotonic() + self.ttl_s, value)

    def pop(self, key: K) -> None:
        self.generation += 1
        self._data.pop(key, None)

    def clear(self) -> None:
        self.generation += 1
        self._data.clear()

    def switch(self, ttl_s: float) -> None:
        """Start keeping entries for `ttl_s` (0: stop), forgetting what is kept."""
        self.ttl_s = ttl_s
        self.clear()

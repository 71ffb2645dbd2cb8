"""A small in-process TTL cache for hot reads (API keys, published apps).

Entries expire after `ttl_s`, so several processes converge within that time; the process that
changes a cached row invalidates it at once. A change that other replicas must see at once (a
revoked API key or share link) cannot wait for the TTL: on PostgreSQL those rows are read on every
request instead (`ttl_s <= 0` turns a cache off: it keeps nothing).
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

    def get(self, key: K) -> V | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            self._data.pop(key, None)
            return None
        return value

    def put(self, key: K, value: V) -> None:
        if self.ttl_s <= 0:
            return
        if len(self._data) >= self.max_entries:
            now = time.monotonic()
            for stale in [k for k, (exp, _) in self._data.items() if exp < now]:
                del self._data[stale]
            if len(self._data) >= self.max_entries:
                self._data.clear()
        self._data[key] = (time.monotonic() + self.ttl_s, value)

    def pop(self, key: K) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

"""`TtlCache`: entries live `ttl_s`; a TTL of zero or less turns the cache off."""

from __future__ import annotations

from pyfastgpt.core.cache import TtlCache


def test_entries_are_kept_and_dropped() -> None:
    cache: TtlCache[str, int] = TtlCache(60.0)
    cache.put("a", 1)
    assert cache.get("a") == 1
    cache.pop("a")
    assert cache.get("a") is None


def test_a_ttl_of_zero_keeps_nothing() -> None:
    cache: TtlCache[str, int] = TtlCache(0.0)
    cache.put("a", 1)
    assert cache.get("a") is None

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


def test_a_read_that_raced_an_invalidation_is_not_kept() -> None:
    cache: TtlCache[str, int] = TtlCache(60.0)
    before = cache.generation
    cache.pop("a")  # the row changed while it was being read
    cache.put("a", 1, since=before)
    assert cache.get("a") is None
    cache.put("a", 2, since=cache.generation)
    assert cache.get("a") == 2


def test_switching_forgets_and_sets_the_ttl() -> None:
    cache: TtlCache[str, int] = TtlCache(0.0)
    cache.switch(60.0)
    cache.put("a", 1)
    assert cache.get("a") == 1
    cache.switch(0.0)
    assert cache.get("a") is None
    cache.put("a", 1)
    assert cache.get("a") is None

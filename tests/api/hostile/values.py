"""Hostile values per parameter kind, sampled so every value is sent somewhere but no route gets all.

Bodies are serialized with `json.dumps` (ASCII escapes, `NaN` allowed), so a lone surrogate travels as
`"\\ud800"` exactly as a JavaScript client would send it.
"""

from __future__ import annotations

import zlib
from typing import Any

HUGE = 2**63  # one past int64
LONG = "x" * 100_000
SURROGATE = "half an emoji \ud83d"
NUL = "nul\x00byte"
UNKNOWN_ID = "f" * 24
FOREIGN = object()  # replaced by the other team's id of the same kind


def nested_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def nested_dict(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


DEEP = nested_dict(200)  # past the JSON depth limit: 400 from the guard

POOLS: dict[str, list[Any]] = {
    "id": [UNKNOWN_ID, FOREIGN, None, LONG, SURROGATE, NUL, 12345, {"$ne": ""}, "", "../../etc/passwd"],
    "int": [HUGE, 1e30, -1, 1.5, "abc", 2**31, None, -HUGE, "9223372036854775808", True],
    "float": [float("nan"), 1e308, -1e308, "abc", HUGE, None, float("inf")],
    "bool": ["yes", 2, None, {}, "true"],
    "str": [LONG, SURROGATE, NUL, 123, None, [], "", "%_\\' OR 1=1 --"],
    "list": ["x", [None], [HUGE], [LONG], [SURROGATE], None, nested_list(60), [{}] * 200, DEEP],
    "dict": ["x", nested_dict(60), {SURROGATE: SURROGATE}, [], None, {"$where": "1"}, {"a": HUGE}, DEEP],
    "any": [LONG, HUGE, SURROGATE, None, nested_dict(60), -1, 1e30, NUL, [], DEEP],
}
PER_PARAM = 3


def sample(route_key: str, name: str, kind: str) -> list[Any]:
    """`PER_PARAM` values of the kind's pool, rotated by a stable hash of route and parameter."""
    pool = POOLS.get(kind, POOLS["any"])
    start = zlib.crc32(f"{route_key} {name}".encode()) % len(pool)
    count = min(PER_PARAM, len(pool))
    return [pool[(start + i) % len(pool)] for i in range(count)]


def describe(value: Any) -> str:
    if value is FOREIGN:
        return "<foreign id>"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…({len(text)} chars)"

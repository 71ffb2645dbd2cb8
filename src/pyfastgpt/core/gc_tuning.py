"""Garbage-collector settings for a long-running server process.

A chat round allocates tens of thousands of short-lived objects; with CPython's default young
generation threshold (700) that triggers dozens of collections per round, and the older
generations' collections walk the whole heap (frameworks, models, the workflow registry).
Measured with `bench/chat.py`: ~1.2 ms of CPU per round. After start-up the server freezes what
it has loaded (`gc.freeze`: never scanned again) and collects the young generation less often.
Reference cycles are still collected; memory held by garbage cycles stays small.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000


def tune_for_server() -> None:
    """Call once the server has loaded everything it keeps for its lifetime."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)

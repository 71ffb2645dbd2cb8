"""The server's collector settings: start-up objects frozen, young generation collected less often."""

from __future__ import annotations

import gc
import weakref

from pyfastgpt.core.gc_tuning import YOUNG_THRESHOLD, tune_for_server


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_tuning_freezes_start_up_objects_and_still_collects_cycles() -> None:
    before = gc.get_threshold()
    try:
        tune_for_server()
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
        first, second = _Node(), _Node()
        first.other, second.other = second, first  # a reference cycle created after start-up
        alive = weakref.ref(first)
        del first, second
        gc.collect()
        assert alive() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)

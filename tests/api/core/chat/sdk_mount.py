"""pytest plugin for running other suites (e.g. `tests/sdk`) with the history routers included
before `api/routers.py` mounts them: `pytest tests/sdk -p tests.api.core.chat.sdk_mount`."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI


def pytest_configure(config: pytest.Config) -> None:
    import tests.support.live as live
    from tests.api.core.chat.conftest import with_history_routes

    original = live.create_app

    def create(*args: Any, **kwargs: Any) -> FastAPI:
        return with_history_routes(original(*args, **kwargs))

    live.create_app = create  # type: ignore[assignment]

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.workflow.sandbox.support import echo_server


@pytest.fixture
async def local_http() -> AsyncIterator[str]:
    async for url in echo_server():
        yield url

"""Serve the real app for the chat-file tests, and the file-select app graphs they use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import tests.support.live as live
from pyfastgpt.core.config import Settings
from tests.support.live import LiveServer


@contextmanager
def serve_with_files(settings: Settings, *, backend: str, fake_llm: Any = None) -> Iterator[LiveServer]:
    with live.serve(settings, backend=backend, fake_llm=fake_llm) as server:
        yield server


def file_app_graph(file_select_config: dict[str, Any], text: str = "got it") -> dict[str, Any]:
    """An answer-only app whose chat may upload the files `file_select_config` allows."""
    from tests.api.v1.chat.helpers import answer_app

    graph = answer_app(text)
    graph["chatConfig"] = {**graph.get("chatConfig", {}), "fileSelectConfig": file_select_config}
    return graph

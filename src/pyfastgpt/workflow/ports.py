"""What the engine needs from the rest of the system, as protocols injected through `WorkflowDeps`."""

from __future__ import annotations

from typing import Any, Protocol

from pyfastgpt.ai.protocols import ChatMessage
from pyfastgpt.rag.search.types import DatasetSearchParams, DatasetSearchResult

__all__ = ["AppLoader", "DatasetSearch", "DatasetSearchParams", "DatasetSearchResult", "FileReader", "ImageResolver"]


class DatasetSearch(Protocol):
    async def search(self, params: DatasetSearchParams) -> DatasetSearchResult: ...


class AppLoader(Protocol):
    async def load(self, app_id: str, team_id: str) -> tuple[str, dict[str, Any]]:
        """Return `(app_type, graph)` where graph is `{"nodes", "edges", "chatConfig"}`; raise
        `LookupError` when the app does not exist."""
        ...


class ImageResolver(Protocol):
    async def inline_messages(self, messages: list[ChatMessage]) -> list[ChatMessage]:
        """Copies of `messages` whose images the model cannot reach (our own URLs) are inlined as data URLs."""
        ...


class FileReader(Protocol):
    async def read(self, url: str) -> str: ...

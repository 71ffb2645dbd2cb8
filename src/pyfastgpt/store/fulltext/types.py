"""The full-text index protocol shared by the SQLite FTS5 and PostgreSQL tsvector adapters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

MAX_QUERY_TOKENS = 64


@dataclass(frozen=True, slots=True)
class TextRow:
    data_id: str
    team_id: str
    dataset_id: str
    collection_id: str
    tokens: str  # pre-segmented text, space separated


@dataclass(frozen=True, slots=True)
class TextHit:
    data_id: str
    score: float  # higher is better (-bm25 on SQLite FTS5, ts_rank on PostgreSQL)


class FullTextIndex(Protocol):
    def add(self, conn: Connection, rows: Sequence[TextRow]) -> None:
        """Insert (or replace, by data_id) rows inside the caller's transaction."""

    def remove(
        self,
        conn: Connection,
        *,
        data_ids: Sequence[str] | None = None,
        collection_ids: Sequence[str] | None = None,
        dataset_ids: Sequence[str] | None = None,
    ) -> None: ...

    async def search(
        self,
        *,
        team_id: str,
        dataset_ids: Sequence[str],
        query_tokens: Sequence[str],
        limit: int,
        collection_ids: Sequence[str] | None = None,
        forbid_collection_ids: Sequence[str] = (),
    ) -> list[TextHit]: ...


def clean_tokens(tokens: Sequence[str]) -> list[str]:
    """Distinct tokens that carry at least one letter or digit, in order, at most MAX_QUERY_TOKENS."""
    seen: dict[str, None] = {}
    for token in tokens:
        token = token.strip()
        if token and any(ch.isalnum() for ch in token):
            seen.setdefault(token, None)
    return list(seen)[:MAX_QUERY_TOKENS]

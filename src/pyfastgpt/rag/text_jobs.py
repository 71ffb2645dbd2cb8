"""Ingestion's CPU-bound text work as functions of plain, picklable values, for
:func:`pyfastgpt.core.cpu_work.run_cpu`: a document split into chunks, the indexes of a batch of
chunks, their full-text tokens and token counts. Each gives exactly what the same calls give in
the server's own process; this module imports only what they need, since every worker process
imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.rag.fulltext import segment
from pyfastgpt.rag.indexes import IndexSpec, build_indexes
from pyfastgpt.rag.splitter.settings import ChunkSettings, raw_text_to_chunks


@dataclass(frozen=True, slots=True)
class IndexRequest:
    """What :func:`build_indexes` needs for one data item."""

    q: str
    a: str
    index_size: int
    max_tokens: int | None
    custom_indexes: Sequence[IndexSpec] = ()
    existing_indexes: Sequence[IndexSpec] = ()
    prefix_title: str | None = None


def split_chunks(text: str, settings: ChunkSettings) -> list[str]:
    """The non-blank chunks of a document."""
    return [chunk for chunk in raw_text_to_chunks(text, settings) if chunk.strip()]


def plan_indexes(requests: Sequence[IndexRequest]) -> list[list[IndexSpec]]:
    """The index list of each data item."""
    return [
        build_indexes(
            r.q,
            r.a,
            index_size=r.index_size,
            max_tokens=r.max_tokens,
            custom_indexes=r.custom_indexes,
            existing_indexes=r.existing_indexes,
            prefix_title=r.prefix_title,
        )
        for r in requests
    ]


def segment_items(items: Sequence[tuple[str, str]]) -> list[tuple[str, int]]:
    """Each (q, a)'s stored full-text tokens (``q\\na`` segmented) and the token count of ``q + a``."""
    return [(segment(f"{q}\n{a}"), count_tokens(f"{q}{a}")) for q, a in items]

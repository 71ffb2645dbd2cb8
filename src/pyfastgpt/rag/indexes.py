"""The vector indexes of one data item (FastGPT ``DatasetDataIndexOperation.formatIndexes``).

System ``default`` indexes are regenerated from the content every time: ``q`` split into pieces of
``index_size`` tokens, then ``a`` split likewise, each prefixed with ``# <collection name>`` when the
collection has ``indexPrefixTitle``. The token budget per piece is
``min(max(index_size, 64), max_tokens - tokens(prefix))``.
User indexes (``custom``, ``question``, ``summary``, ``image``…) are kept unless their text equals a
system index's text or repeats an earlier user index; one longer than the embedding model's limit is
split into several of the same type. Unchanged texts keep their ``data_id`` (the vector row id), so
only new or changed texts are embedded again; :func:`plan_index_changes` spells that out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from pyfastgpt.rag.splitter import LengthCounter, estimate_tokens, split_text

IndexType = Literal["default", "custom", "summary", "question", "image", "imageEmbedding"]
SYSTEM_INDEX_TYPES: frozenset[str] = frozenset({"default", "imageEmbedding"})
MIN_INDEX_SIZE = 64
MAX_CUSTOM_INDEXES = 5  # FastGPT's documented limit of user indexes per data item


@dataclass(frozen=True, slots=True)
class IndexSpec:
    type: str
    text: str
    data_id: str | None = None


@dataclass(frozen=True, slots=True)
class IndexChange:
    op: Literal["create", "update", "delete", "unchanged"]
    index: IndexSpec


def index_prefix(collection_name: str | None) -> str | None:
    return f"# {collection_name}" if collection_name else None


def _with_prefix(text: str, prefix: str | None) -> str:
    return f"{prefix}\n{text}" if prefix and not text.startswith(prefix) else text


def split_index_text(
    text: str, *, index_size: int, max_tokens: int, prefix: str | None = None, count_tokens: LengthCounter
) -> list[str]:
    """Cut ``text`` into token-bounded index texts that still fit once the prefix is added."""
    trimmed = text.strip()
    if not trimmed:
        return []
    budget = max_tokens - (count_tokens(f"{prefix}\n") if prefix else 0)
    if budget <= 0:
        raise ValueError("The index prefix is longer than the embedding model's token limit")
    if budget < MIN_INDEX_SIZE:
        raise ValueError("The index token budget is smaller than the minimum chunk size")
    limit = min(max(index_size, MIN_INDEX_SIZE), budget)
    chunks = split_text(trimmed, chunk_size=limit, max_size=limit, mode="token", count_tokens=count_tokens)
    return [_with_prefix(chunk, prefix) for chunk in chunks if chunk.strip()]


def build_indexes(
    q: str,
    a: str = "",
    *,
    index_size: int,
    max_tokens: int | None = None,
    custom_indexes: Sequence[IndexSpec] = (),
    existing_indexes: Sequence[IndexSpec] = (),
    prefix_title: str | None = None,
    count_tokens: LengthCounter | None = None,
) -> list[IndexSpec]:
    """The final index list of a data item: user indexes first, then the system ones.

    ``custom_indexes`` are what the caller sent (type defaults to ``custom``); ``existing_indexes``
    are the stored ones, used to reuse ``data_id`` for unchanged texts. ``prefix_title`` is the
    collection name when the collection prefixes index texts with its title.
    """
    count = count_tokens or estimate_tokens
    limit = max_tokens or max(index_size, MIN_INDEX_SIZE)
    index_size = min(index_size, limit)
    prefix = index_prefix(prefix_title)
    drafts = [replace(item, type=item.type or "custom", text=str(item.text)) for item in custom_indexes]

    system = [
        IndexSpec("default", text)
        for part in (q, a)
        if part
        for text in split_index_text(part, index_size=index_size, max_tokens=limit, prefix=prefix, count_tokens=count)
    ]
    if not drafts and not existing_indexes:  # (new data without user indexes) no id to reuse, nothing to merge
        return system
    system = _reuse_ids(system, [*drafts, *existing_indexes])
    system_texts = {item.text for item in system if item.type != "imageEmbedding"}

    kept: list[IndexSpec] = []
    seen: set[str] = set()
    for item in drafts:
        if item.type in SYSTEM_INDEX_TYPES or item.text in system_texts or item.text in seen:
            continue
        seen.add(item.text)
        kept.append(item)

    result: list[IndexSpec] = []
    for item in _reuse_ids(kept, existing_indexes):
        if count(item.text) <= limit:
            result.append(item)
            continue
        pieces = split_index_text(item.text, index_size=index_size, max_tokens=limit, count_tokens=count)
        result += [IndexSpec(item.type, piece) for piece in pieces]
    result += system
    return [item for item in result if item.text.strip()]


def _reuse_ids(items: Iterable[IndexSpec], known: Sequence[IndexSpec]) -> list[IndexSpec]:
    """Give each id-less item the ``data_id`` of a known index with the same type and text; a
    ``default`` item may also take the id of a user index with the same text (same vector)."""
    by_key = {(k.type, k.text): k.data_id for k in known if k.data_id}
    by_text = {k.text: k.data_id for k in known if k.data_id and k.type != "imageEmbedding"}
    out = []
    for item in items:
        data_id = item.data_id or by_key.get((item.type, item.text))
        if data_id is None and item.type == "default":
            data_id = by_text.get(item.text)
        out.append(replace(item, data_id=data_id))
    return out


def plan_index_changes(current: Sequence[IndexSpec], desired: Sequence[IndexSpec]) -> list[IndexChange]:
    """What to do to the vector store: delete ids no longer used, create id-less indexes, keep
    ids whose text is unchanged and re-embed (``update``) ids whose text changed."""
    desired_ids = {item.data_id for item in desired if item.data_id}
    changes = [IndexChange("delete", item) for item in current if item.data_id not in desired_ids]
    stored = {item.data_id: item for item in current if item.data_id}
    for item in desired:
        if not item.data_id:
            changes.append(IndexChange("create", item))
            continue
        old = stored.get(item.data_id)
        if old is None:
            changes.append(IndexChange("create", replace(item, data_id=None)))
        elif old.text == item.text:
            changes.append(IndexChange("unchanged", item))
        else:
            changes.append(IndexChange("update", item))
    return changes

"""Result-list arithmetic of FastGPT's dataset search: weighted RRF, dedup, score filter, token budget.

Quote items are FastGPT `SearchDataResponseItemType` dicts; `score` is a list of
``{"type": "embedding"|"fullText"|"reRank"|"rrf", "value": float, "index": rank}``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from pyfastgpt.ai.tokens import count_tokens

RRF_K = 60
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")  # FastGPT: /[^\p{L}\p{N}]/gu
Quote = dict[str, Any]


def score_of(item: Quote, score_type: str) -> float | None:
    for entry in item.get("score") or []:
        if entry.get("type") == score_type:
            return float(entry["value"])
    return None


def _merge_scores(current: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scores of the same type keep the larger value; new types are appended."""
    merged = [dict(entry) for entry in current]
    for entry in extra:
        same = next((m for m in merged if m["type"] == entry["type"]), None)
        if same is None:
            merged.append(dict(entry))
        else:
            same["value"] = max(same["value"], entry["value"])
    return merged


def weighted_rrf(lists: Sequence[tuple[float, Sequence[Quote]]], k: int = RRF_K) -> list[Quote]:
    """FastGPT 4.16 `datasetSearchResultConcat`: each list adds ``weight / (k + rank)`` (rank from 1)
    to an item's fused score. Lists with weight ≤ 0 or no items are ignored; a single remaining list
    is returned unchanged (no `rrf` entry). Otherwise items are sorted by the fused score and get (or
    have replaced) an ``rrf`` score whose ``index`` is the rank in the fused list."""
    active = [(weight, items) for weight, items in lists if weight > 0 and items]
    if not active:
        return []
    if len(active) == 1:
        return list(active[0][1])
    fused: dict[str, tuple[Quote, float]] = {}
    for weight, items in active:
        for position, item in enumerate(items):
            contribution = weight / (k + position + 1)
            key = str(item["id"])
            seen = fused.get(key)
            if seen is None:
                fused[key] = ({**item, "score": [dict(s) for s in item.get("score") or []]}, contribution)
            else:
                record, total = seen
                record["score"] = _merge_scores(record["score"], item.get("score") or [])
                fused[key] = (record, total + contribution)
    ordered = sorted(fused.values(), key=lambda pair: pair[1], reverse=True)
    results: list[Quote] = []
    for index, (record, total) in enumerate(ordered):
        scores = [s for s in record["score"] if s["type"] != "rrf"]
        rrf_at = next((i for i, s in enumerate(record["score"]) if s["type"] == "rrf"), None)
        entry = {"type": "rrf", "value": total, "index": index}
        if rrf_at is None:
            scores.append(entry)
        else:
            scores.insert(rrf_at, entry)
        record["score"] = scores
        results.append(record)
    return results


def concat_recall_lists(lists: Sequence[Sequence[Quote]], limit: int) -> list[Quote]:
    """Per-mode fusion across queries: equal-weight RRF, cut to the mode's candidate count."""
    return weighted_rrf([(1.0, items) for items in lists])[:limit]


def content_key(item: Quote) -> str:
    """q + a with everything but letters and digits removed: FastGPT's dedup key (it hashes this text;
    a set of the texts themselves gives the same equality without the digest)."""
    return _NOT_LETTER_OR_DIGIT.sub("", f"{item.get('q') or ''}{item.get('a') or ''}")


def remove_duplicates(items: Sequence[Quote]) -> list[Quote]:
    """Keep the first item of each distinct normalised q+a."""
    seen: set[str] = set()
    kept: list[Quote] = []
    for item in items:
        key = content_key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def filter_by_similarity(
    items: Sequence[Quote], *, using_rerank: bool, search_mode: str, similarity: float
) -> tuple[list[Quote], bool]:
    """Step 10: with rerank drop `reRank` < similarity; embedding mode drops `embedding` < similarity;
    full-text / mixed without rerank keep everything (`usingSimilarityFilter=false`). Items without
    the score type are kept."""
    score_type = "reRank" if using_rerank else "embedding" if search_mode == "embedding" else None
    if score_type is None:
        return list(items), False
    kept = []
    for item in items:
        value = score_of(item, score_type)
        if value is None or value >= similarity:
            kept.append(item)
    return kept, True


@functools.lru_cache(maxsize=4096)
def quote_tokens(text: str) -> int:
    """`count_tokens`, remembered for recently seen chunk texts (popular chunks come back often)."""
    return count_tokens(text)


def limit_by_tokens(items: Sequence[Quote], max_tokens: int) -> list[Quote]:
    """Step 11: walk in order adding `count_tokens(q + a)` (stored with the chunk when it was written,
    counted here otherwise); push the item, stop once the total exceeds `max_tokens` (the last item may
    overshoot). Each kept item carries its `tokens`."""
    results: list[Quote] = []
    total = 0
    for item in items:
        stored = item.get("tokens")
        tokens = stored if isinstance(stored, int) else quote_tokens(f"{item.get('q') or ''}{item.get('a') or ''}")
        results.append({**item, "tokens": tokens})
        total += tokens
        if total > max_tokens:
            break
    return results

"""Search filters: FastGPT's `collectionFilterMatch` (collection tags / createTime / ids) and a
metadata filter on `dataset_datas.metadata`.

`collectionFilterMatch` is a JSON (or JSON5) object, or its text::

    {
      "tags": {"$and": ["contract", "2024"], "$or": ["faq", null]},   # tag names; null = untagged
      "createTime": {"$gte": "2024-01-01", "$lte": "2024-12-31T23:59:59Z"},
      "collectionIds": ["<id>", ...],
      "metadata": {"source": "handbook", "year": {"$gte": 2023}}       # data metadata (see below)
    }

Tags, as FastGPT: `$and` wins over `$or`; `$and` with only `null` selects untagged collections, with
`null` and names mixed selects nothing; `$or` selects collections having any named tag (or no tag
when `null` is listed). The tag, time and id parts intersect. A part that is absent does not filter.

Metadata filter (pyfastgpt's extension; matched against each data item's `metadata` object)::

    filter    := {key: condition, ..., "$and": [filter, ...], "$or": [filter, ...], "$not": filter}
    condition := value                          # equality
               | {"$eq"|"$ne"|"$gt"|"$gte"|"$lt"|"$lte": value, "$in"|"$nin": [value, ...],
                  "$exists": bool, "$contains": value, "$startsWith": str}   # several = all of them

Keys are metadata keys; `a.b` reaches nested objects. All conditions of an object must hold.
A missing key satisfies only `$ne`, `$nin` and `$exists: false`. `$gt`…`$lte` compare numbers with
numbers and strings with strings (ISO dates compare as strings); other pairs never match.
`$contains` tests membership in a list, or a substring of a string.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pyfastgpt.core.clock import to_utc
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.json5 import parse_json5

_COMPARE = {"$gt", "$gte", "$lt", "$lte"}
_OPERATORS = {"$eq", "$ne", "$in", "$nin", "$exists", "$contains", "$startsWith", *_COMPARE}
_MISSING = object()
MAX_FILTER_DEPTH = 8


@dataclass(slots=True)
class CollectionRow:
    id: str
    tags: list[Any]
    create_time: datetime
    forbid: bool
    deleted: bool


@dataclass(slots=True)
class SearchFilter:
    """A parsed `collectionFilterMatch`."""

    and_tags: list[str | None] | None = None
    or_tags: list[str | None] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    collection_ids: list[str] | None = None
    metadata: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def restricts_collections(self) -> bool:
        return bool(self.and_tags or self.or_tags) or self.has_time or self.collection_ids is not None

    @property
    def has_time(self) -> bool:
        return self.created_from is not None or self.created_to is not None


def _bad(message: str) -> InvalidRequest:
    return InvalidRequest(f"collectionFilterMatch: {message}", key="invalidParams")


def _tag_list(value: Any, name: str) -> list[str | None] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
        raise _bad(f"tags.{name} must be a list of tag names or null")
    return list(dict.fromkeys(value))


def _time(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value / 1000, UTC)
        return to_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise _bad(f"createTime.{name} is not a date: {value!r}") from exc


def parse_search_filter(raw: Any) -> SearchFilter | None:
    """Parse `collectionFilterMatch` (dict or JSON/JSON5 text); None or "" means no filter."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str):
        try:
            raw = parse_json5(raw)  # JSON, or JSON5 (bare keys, single quotes, trailing commas)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
            raise _bad("not valid JSON") from exc
    if not isinstance(raw, dict):
        raise _bad("must be a JSON object")
    tags = raw.get("tags") or {}
    if not isinstance(tags, dict):
        raise _bad("tags must be an object with $and / $or")
    created = raw.get("createTime") or {}
    if not isinstance(created, dict):
        raise _bad("createTime must be an object with $gte / $lte")
    ids = raw.get("collectionIds")
    if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
        raise _bad("collectionIds must be a list of ids")
    metadata = raw.get("metadata")
    if metadata is not None:
        validate_metadata_filter(metadata)
    return SearchFilter(
        and_tags=_tag_list(tags.get("$and"), "$and"),
        or_tags=_tag_list(tags.get("$or"), "$or"),
        created_from=_time(created.get("$gte"), "$gte"),
        created_to=_time(created.get("$lte"), "$lte"),
        collection_ids=ids,
        metadata=metadata or None,
        raw=raw,
    )


def _tag_names(tags: Iterable[Any]) -> set[str]:
    names: set[str] = set()
    for tag in tags or []:
        if isinstance(tag, str):
            names.add(tag)
        elif isinstance(tag, dict):
            for key in ("tag", "name", "tagId", "value"):
                if isinstance(tag.get(key), str):
                    names.add(tag[key])
    return names


def _tag_match(search: SearchFilter, collection: CollectionRow) -> bool:
    names = _tag_names(collection.tags)
    if search.and_tags:
        wanted = search.and_tags
        if None in wanted:
            return all(tag is None for tag in wanted) and not names
        return all(tag in names for tag in wanted)
    if search.or_tags:
        return any((tag is None and not names) or (tag is not None and tag in names) for tag in search.or_tags)
    return True


def collection_scope(
    collections: Sequence[CollectionRow], search: SearchFilter | None
) -> tuple[list[str], list[str] | None]:
    """(forbidden collection ids, allowed collection ids or None for "no restriction").

    Forbidden: `forbid` set or deleted. Allowed: the collections passing the tag / time / id filter."""
    forbidden = [c.id for c in collections if c.forbid or c.deleted]
    if search is None or not search.restricts_collections:
        return forbidden, None
    wanted_ids = set(search.collection_ids) if search.collection_ids is not None else None
    allowed: list[str] = []
    for collection in collections:
        if collection.forbid or collection.deleted:
            continue
        if wanted_ids is not None and collection.id not in wanted_ids:
            continue
        created = to_utc(collection.create_time)
        if search.created_from is not None and created < search.created_from:
            continue
        if search.created_to is not None and created > search.created_to:
            continue
        if (search.and_tags or search.or_tags) and not _tag_match(search, collection):
            continue
        allowed.append(collection.id)
    return forbidden, allowed


# ------------------------------------------------------------------ metadata filter
def validate_metadata_filter(spec: Any, depth: int = 0) -> None:
    """Raise InvalidRequest when `spec` is not a metadata filter (see the module doc)."""
    if depth > MAX_FILTER_DEPTH:
        raise _bad("metadata filter nested too deeply")
    if not isinstance(spec, dict):
        raise _bad("metadata filter must be an object")
    for key, value in spec.items():
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise _bad(f"metadata {key} needs a non-empty list of filters")
            for part in value:
                validate_metadata_filter(part, depth + 1)
        elif key == "$not":
            validate_metadata_filter(value, depth + 1)
        elif key.startswith("$"):
            raise _bad(f"unknown metadata operator {key}")
        elif isinstance(value, dict) and any(k.startswith("$") for k in value):
            for op, operand in value.items():
                if op not in _OPERATORS:
                    raise _bad(f"unknown metadata operator {op} (on {key})")
                if op in ("$in", "$nin") and not isinstance(operand, list):
                    raise _bad(f"{op} on {key} needs a list")
                if op == "$exists" and not isinstance(operand, bool):
                    raise _bad(f"$exists on {key} needs true or false")


def _lookup(metadata: Any, path: str) -> Any:
    value = metadata
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _comparable(left: Any, right: Any) -> bool:
    numbers = (int, float)
    if isinstance(left, bool) or isinstance(right, bool):
        return False
    return (isinstance(left, numbers) and isinstance(right, numbers)) or (
        isinstance(left, str) and isinstance(right, str)
    )


def _check(op: str, operand: Any, value: Any) -> bool:
    missing = value is _MISSING
    if op == "$exists":
        return bool(operand) != missing
    if op == "$ne":
        return missing or value != operand
    if op == "$nin":
        return missing or value not in operand
    if missing:
        return False
    if op == "$eq":
        return bool(value == operand)
    if op == "$in":
        return value in operand
    if op == "$contains":
        if isinstance(value, list):
            return operand in value
        return isinstance(value, str) and isinstance(operand, str) and operand in value
    if op == "$startsWith":
        return isinstance(value, str) and isinstance(operand, str) and value.startswith(operand)
    if not _comparable(value, operand):
        return False
    if op == "$gt":
        return bool(value > operand)
    if op == "$gte":
        return bool(value >= operand)
    if op == "$lt":
        return bool(value < operand)
    return bool(value <= operand)


def metadata_matches(spec: dict[str, Any], metadata: Any) -> bool:
    """Does a data item's metadata (a dict, or None) satisfy the filter `spec`?"""
    for key, condition in spec.items():
        if key == "$and":
            if not all(metadata_matches(part, metadata) for part in condition):
                return False
        elif key == "$or":
            if not any(metadata_matches(part, metadata) for part in condition):
                return False
        elif key == "$not":
            if metadata_matches(condition, metadata):
                return False
        else:
            value = _lookup(metadata, key)
            if isinstance(condition, dict) and any(k.startswith("$") for k in condition):
                if not all(_check(op, operand, value) for op, operand in condition.items()):
                    return False
            elif value is _MISSING or value != condition:
                return False
    return True

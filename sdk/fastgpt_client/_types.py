"""Shared type aliases and the "not given" sentinel.

Optional SDK parameters default to :data:`NOT_GIVEN` so that "omit this field" and
"send ``null``" stay distinct: ``update(name=None)`` sends ``"name": null`` while leaving
``name`` out sends nothing at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias, TypeVar, final

_T = TypeVar("_T")


@final
class NotGiven:
    """Type of :data:`NOT_GIVEN`, the marker for "the caller did not pass this argument"."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

NotGivenOr: TypeAlias = _T | NotGiven
"""``NotGivenOr[int]`` accepts an ``int`` or :data:`NOT_GIVEN`."""

JSONObject = dict[str, Any]
Headers = Mapping[str, str]
Timeout = float | None


def is_given(value: object) -> bool:
    """Whether ``value`` was passed explicitly (``None`` counts as given)."""
    return not isinstance(value, NotGiven)


def strip_not_given(fields: Mapping[str, object]) -> dict[str, Any]:
    """Drop every entry whose value is :data:`NOT_GIVEN`; keep ``None`` (it means JSON ``null``)."""
    return {key: value for key, value in fields.items() if not isinstance(value, NotGiven)}

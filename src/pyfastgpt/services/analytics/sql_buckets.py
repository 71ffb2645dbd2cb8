"""SQL expressions that put a UTC timestamp column into a calendar bucket, on SQLite and PostgreSQL.

The timezone is applied as a piecewise UTC offset (``CASE WHEN col < transition …``) computed from
the tz database in Python, so both engines bucket identically without relying on the server's own
timezone data. `bucket_expression` yields the bucket's first local date (text ``YYYY-MM-DD`` on SQLite,
``date`` on PostgreSQL); `parse_bucket` turns either into a `date`.

`Binds` names the values of SQL text statements (those over the rollups' local day numbers).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    TextClause,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    text,
)
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.types import TypeEngine

from pyfastgpt.services.analytics.timespans import Timespan
from pyfastgpt.store.models.base import UtcDateTime

Segments = list[tuple[datetime | None, int]]


def _piecewise(column: Any, segments: Segments, render: Any) -> ColumnElement[Any]:
    if len(segments) == 1:
        return render(segments[0][1])  # type: ignore[no-any-return]
    whens = [
        (column < literal(segments[i + 1][0], UtcDateTime()), render(segments[i][1])) for i in range(len(segments) - 1)
    ]
    return case(*whens, else_=render(segments[-1][1]))


def _sqlite_bucket(column: Any, segments: Segments, span: Timespan, back: int) -> ColumnElement[Any]:
    modifier = _piecewise(column, segments, lambda seconds: literal_column(f"'{int(seconds):+d} seconds'", String))
    if span is Timespan.day:
        bucket = func.date(column, modifier)
        back_modifier = f"{-back:+d} days"
    elif span is Timespan.week:
        bucket = func.date(column, modifier, literal_column("'-6 days'"), literal_column("'weekday 1'"))
        back_modifier = f"{-7 * back:+d} days"
    elif span is Timespan.month:
        bucket = func.date(column, modifier, literal_column("'start of month'"))
        back_modifier = f"{-back:+d} months"
    else:
        month = cast(func.strftime("%m", column, modifier), Integer)
        months_into_quarter = (
            literal_column("'-'", String) + cast((month - 1) % 3, String) + literal_column("' months'", String)
        )
        bucket = func.date(column, modifier, literal_column("'start of month'"), months_into_quarter)
        back_modifier = f"{-3 * back:+d} months"
    if back:
        bucket = func.date(bucket, literal_column(f"'{back_modifier}'"))
    return bucket


def _postgres_bucket(column: Any, segments: Segments, span: Timespan, back: int) -> ColumnElement[Any]:
    seconds = _piecewise(column, segments, lambda value: literal_column(str(int(value)), Integer))
    wall_clock = func.timezone(literal_column("'UTC'"), column) + func.make_interval(0, 0, 0, 0, 0, 0, seconds)
    bucket: ColumnElement[Any] = func.date_trunc(literal_column(f"'{span.value}'"), wall_clock)
    if back:
        unit = {Timespan.day: ("days", 1), Timespan.week: ("days", 7), Timespan.month: ("months", 1)}.get(
            span, ("months", 3)
        )
        bucket = bucket - literal_column(f"interval '{back * unit[1]} {unit[0]}'")
    return cast(bucket, Date)


def bucket_expression(
    column: Any, *, dialect: str, segments: Segments, span: Timespan, back: int = 0
) -> ColumnElement[Any]:
    """The first local date of ``column``'s bucket, moved ``back`` spans earlier."""
    if dialect == "sqlite":
        return _sqlite_bucket(column, segments, span, back)
    return _postgres_bucket(column, segments, span, back)


def parse_bucket(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _bind_type(value: object) -> TypeEngine[Any]:
    if isinstance(value, bool):
        return Boolean()
    if isinstance(value, int):
        return Integer()
    if isinstance(value, datetime):
        return UtcDateTime()  # naive UTC text on SQLite, as stored
    return String()


_NAMES = re.compile(r":(b\d+)\b")


class Binds:
    """The bind parameters of one SQL text statement: ``binds(value)`` names a value (an equal value reuses
    the name; a tuple binds a list for ``IN``)."""

    def __init__(self) -> None:
        self._names: dict[tuple[type, object], str] = {}
        self._params: list[BindParameter[Any]] = []

    def __call__(self, value: object) -> str:
        key = (type(value), value)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"b{len(self._names)}"
            # Typed: asyncpg casts each bind to its type, as PostgreSQL cannot infer one in a select list.
            expanding = isinstance(value, tuple)
            kind = String() if expanding else _bind_type(value)
            self._params.append(bindparam(name, value, type_=kind, expanding=expanding))
        return f":{name}"

    def statement(self, sql: str) -> TextClause:
        """``sql`` with the values of the names it holds (a figure may name values it then leaves out)."""
        named = set(_NAMES.findall(sql))
        return text(sql).bindparams(*(param for param in self._params if param.key in named))

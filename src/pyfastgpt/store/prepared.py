"""Statements compiled once per dialect and run straight on the DB-API cursor.

SQLAlchemy's `Connection.execute` spends ~50 µs of Python per statement (cache keys, parameter
construction, events, result set-up) — more than SQLite needs to run it. The chat round runs a
dozen statements on every request, so its statements are `Prepared`: the Core construct is
compiled once for the connection's dialect, its bind and result processors are looked up once,
and each call only converts the values and calls `cursor.execute`. The SQL, the type conversions
(JSON, UTC datetimes) and the transaction are SQLAlchemy's; only the per-call bookkeeping is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Insert, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import Select

Processor = Callable[[Any], Any] | None
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    names: tuple[str, ...]
    bind: tuple[Processor, ...]
    fill: tuple[Callable[[], Any] | None, ...]  # insert defaults for names the caller left out
    result: tuple[Processor, ...]


def _column_default(column: Column[Any]) -> Callable[[], Any] | None:
    default = column.default
    if default is None:
        return None
    if getattr(default, "is_scalar", False):
        value = default.arg  # type: ignore[attr-defined]
        return lambda: value
    if getattr(default, "is_callable", False):
        make = default.arg  # type: ignore[attr-defined]  # SQLAlchemy wraps it to take a context
        return lambda: make(None)
    return None


def _bound_value(bind: BindParameter[Any]) -> Callable[[], Any] | None:
    """The value a statement carries itself (a literal such as `LIMIT 1`), for callers that leave it out."""
    if bind.callable is not None:
        return bind.callable
    if bind.required:
        return None
    value = bind.value
    return lambda: value


class Prepared:
    """One statement; `execute/first/all` run it on a `Connection`'s DB-API cursor.

    Parameters are passed by bind name. An `insert(table)` takes every column except an
    autoincrement key; columns left out get the model's Python default, else NULL.
    """

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._plans: dict[type[Dialect], _Plan] = {}

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(type(dialect))
        if plan is None:
            plan = self._plans[type(dialect)] = self._compile(dialect)
        return plan

    def _compile(self, dialect: Dialect) -> _Plan:
        statement = self.statement
        columns: dict[str, Column[Any]] = {}
        if isinstance(statement, Insert):
            table = statement.table
            assert isinstance(table, Table)
            auto = table.autoincrement_column
            columns = {column.key: column for column in table.columns if column is not auto}
            compiled: Any = statement.compile(dialect=dialect, column_keys=list(columns))
        else:
            compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        if not names and compiled.binds:
            raise ValueError("Prepared statements need a positional paramstyle")
        bind = tuple(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)
        fill = tuple(
            _column_default(columns[name]) if name in columns else _bound_value(compiled.binds[name]) for name in names
        )
        result: tuple[Processor, ...] = ()
        if isinstance(statement, Select):
            result = tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in statement.selected_columns
            )
        return _Plan(compiled.string, names, bind, fill, result)

    def _arguments(self, plan: _Plan, params: Mapping[str, Any]) -> list[Any]:
        arguments: list[Any] = []
        for name, process, fill in zip(plan.names, plan.bind, plan.fill, strict=True):
            value = params.get(name, _MISSING)
            if value is _MISSING:
                value = fill() if fill is not None else None
            arguments.append(value if process is None else process(value))
        return arguments

    def _cursor(self, conn: Connection, plan: _Plan, params: Mapping[str, Any] | None) -> Any:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(plan.sql, self._arguments(plan, params or {}))
        return cursor

    def execute(self, conn: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Run the statement; returns the number of rows it changed."""
        cursor = self._cursor(conn, self._plan(conn.dialect), params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once per row in one driver call (asyncpg pipelines them: one round trip)."""
        if len(rows) == 1:
            self.execute(conn, rows[0])
            return
        if not rows:
            return
        plan = self._plan(conn.dialect)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(plan.sql, [self._arguments(plan, row) for row in rows])
        finally:
            cursor.close()

    def all(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        plan = self._plan(conn.dialect)
        cursor = self._cursor(conn, plan, params)
        try:
            return [_convert(row, plan.result) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
        plan = self._plan(conn.dialect)
        cursor = self._cursor(conn, plan, params)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else _convert(row, plan.result)


def _convert(row: Sequence[Any], processors: tuple[Processor, ...]) -> tuple[Any, ...]:
    """The row with each column's result processor applied; a textual statement has none: values as the
    driver returns them."""
    if not processors:
        return tuple(row)
    return tuple(value if process is None else process(value) for value, process in zip(row, processors, strict=False))

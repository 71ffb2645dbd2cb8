"""Statements compiled once per dialect and run straight on the DB-API cursor.

SQLAlchemy's `Connection.execute` spends ~50 µs of Python per statement (cache keys, parameter
construction, events, result set-up) — more than SQLite needs to run it. The chat round runs a
dozen statements on every request, so its statements are `Prepared`: the Core construct is
compiled once for the connection's dialect, its bind and result processors are looked up once,
and each call only converts the values and calls `cursor.execute`. The SQL, the type conversions
(JSON, UTC datetimes) and the transaction are SQLAlchemy's; only the per-call bookkeeping is gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Float, Insert, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import Select
from sqlalchemy.types import TypeEngine

Processor = Callable[[Any], Any] | None
ColumnProcessors = tuple[tuple[int, Callable[[Any], Any]], ...]  # (column index, result processor), only those with one
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    names: tuple[str, ...]
    bind: tuple[Processor, ...]
    fill: tuple[Callable[[], Any] | None, ...]  # insert defaults for names the caller left out
    result: ColumnProcessors


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


def _result_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor:
    if isinstance(type_, Float) and not type_.asdecimal:
        return None  # drivers return floats; asyncpg's processor would need the column's type OID, unknown here
    return type_.dialect_impl(dialect).result_processor(dialect, None)


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
        result: ColumnProcessors = ()
        if isinstance(statement, Select | UpdateBase):  # the selected or the RETURNING columns (none without)
            selected = statement.selected_columns if isinstance(statement, Select) else statement.exported_columns
            processors = (_result_processor(column.type, dialect) for column in selected)
            result = tuple((index, process) for index, process in enumerate(processors) if process is not None)
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
            cursor.executemany(plan.sql, self._many_arguments(plan, rows))
        finally:
            cursor.close()

    def _many_arguments(self, plan: _Plan, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
        """`_arguments` of each row; a converted value is reused while the rows hold the very same object (a
        batch's one timestamp, NULL JSON): converting it is most of the per-row cost of a wide insert."""
        last: list[tuple[Any, Any]] = [(_MISSING, None)] * len(plan.names)
        converted: list[list[Any]] = []
        for params in rows:
            arguments: list[Any] = []
            for index, (name, process, fill) in enumerate(zip(plan.names, plan.bind, plan.fill, strict=True)):
                value = params.get(name, _MISSING)
                if value is _MISSING:
                    value = fill() if fill is not None else None
                if process is not None:
                    raw, done = last[index]
                    if value is not raw:
                        done = process(value)
                        last[index] = (value, done)
                    value = done
                arguments.append(value)
            converted.append(arguments)
        return converted

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


def _convert(row: Sequence[Any], processors: ColumnProcessors) -> tuple[Any, ...]:
    """The row with the result processor of each column that has one applied (JSON, UTC datetimes); a
    textual statement has none: values as the driver returns them."""
    if not processors:
        return tuple(row)
    values = list(row)
    for index, process in processors:
        values[index] = process(values[index])
    return tuple(values)


_PLACEHOLDER = re.compile(r"\$(\d+)")
_JOINED: dict[tuple[tuple[Prepared, int], ...], str] = {}  # by (statement, rows) of each part


def _renumbered(sql: str, offset: int) -> str:
    return _PLACEHOLDER.sub(lambda match: f"${int(match.group(1)) + offset}", sql)


class Writes:
    """Writes whose results nobody reads, sent with the next statement of the unit: on PostgreSQL one
    statement whose data-modifying CTEs carry the writes (one round trip instead of one each); on
    SQLite, where a statement costs no round trip, each runs when it is added.

    PostgreSQL runs a statement's parts on one snapshot and in no set order: a part does not see what
    another part changes, so the statement sent with pending writes (`first`, `all`) must not read the
    rows they write, and the rows of one `add_many` become one multi-row INSERT (their keys keep the
    order of the rows).
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._joins = conn.dialect.paramstyle == "numeric_dollar"  # asyncpg; other drivers run at once
        self._pending: list[tuple[Prepared, Sequence[Mapping[str, Any]]]] = []

    def add(self, statement: Prepared, params: Mapping[str, Any]) -> None:
        if self._joins:
            self._pending.append((statement, [params]))
        else:
            statement.execute(self.conn, params)

    def add_many(self, statement: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rows of one INSERT."""
        if not rows:
            return
        if self._joins:
            self._pending.append((statement, rows))
        else:
            statement.execute_many(self.conn, rows)

    def first(self, statement: Prepared, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run ``statement`` with the pending writes; its first row."""
        if not self._pending:
            return statement.first(self.conn, params)
        rows = self._send((statement, [params]))
        return rows[0] if rows else None

    def all(self, statement: Prepared, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run ``statement`` with the pending writes; its rows."""
        if not self._pending:
            return statement.all(self.conn, params)
        return self._send((statement, [params]))

    def flush(self) -> None:
        if self._pending:
            self._send(self._pending.pop())

    def _send(self, last: tuple[Prepared, Sequence[Mapping[str, Any]]]) -> list[tuple[Any, ...]]:
        parts, self._pending = [*self._pending, last], []
        plans = [statement._plan(self.conn.dialect) for statement, _ in parts]
        key = tuple((statement, len(rows)) for statement, rows in parts)
        sql = _JOINED.get(key)
        if sql is None:
            sql = _JOINED[key] = _joined_sql(
                [_rows_sql(plan.sql, len(plan.names), len(rows)) for plan, (_, rows) in zip(plans, parts, strict=True)]
            )
        arguments = [value for (statement, rows), plan in zip(parts, plans, strict=True)
                     for row in rows for value in statement._arguments(plan, row)]  # fmt: skip
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, arguments)
            rows = cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()
        return [_convert(row, plans[-1].result) for row in rows]


def _rows_sql(sql: str, count: int, rows: int) -> tuple[str, int]:
    """The statement (with its number of parameters) for ``rows`` rows: an INSERT's VALUES tuple repeated."""
    numbers = {int(found) for found in _PLACEHOLDER.findall(sql)}
    if numbers != set(range(1, count + 1)) or sql.lstrip().upper().startswith("WITH"):
        raise ValueError(f"cannot join statement: {sql[:80]}")
    if rows == 1:
        return sql, count
    opening = sql.find(" VALUES (")
    if not sql.startswith("INSERT") or opening < 0:
        raise ValueError(f"several rows need an INSERT … VALUES: {sql[:80]}")
    start = opening + len(" VALUES ")
    depth, end = 0, start
    for end in range(start, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        if depth == 0:
            break
    values = sql[start : end + 1]
    tuples = ", ".join(_renumbered(values, count * row) for row in range(rows))
    return sql[:start] + tuples + sql[end + 1 :], count * rows


def _joined_sql(statements: list[tuple[str, int]]) -> str:
    """``WITH w0 AS (s0), w1 AS (s1) … last`` with each part's placeholders moved past the earlier ones'."""
    parts, offset = [], 0
    for sql, count in statements:
        parts.append(_renumbered(sql, offset))
        offset += count
    if len(parts) == 1:
        return parts[0]
    return "WITH " + ", ".join(f"w{index} AS ({sql})" for index, sql in enumerate(parts[:-1])) + " " + parts[-1]

"""`databaseConnection` (数据库连接): run one SQL statement on a user's database.

FastGPT: fastgpt-plugin `modules/tool/packages/databaseConnection` (4.9:
`packages/plugins/src/databaseConnection`). Inputs `databaseType`, `host`, `port`, `databaseName`,
`user`, `password` (4.10+ keeps them in `system_input_config`) and `sql`; output `result`: the
rows as objects. Driver errors fail the node with the driver's message. Only PostgreSQL is
available here (asyncpg); MySQL, TiDB and Microsoft SQL Server are refused with a clear message.
The host must be public unless `LINK_FETCH_ALLOW_PRIVATE`, like every outbound call of the tools.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import asyncpg

from pyfastgpt.rag.readers.link import LinkFetchError, check_host
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import text_input

CONNECT_TIMEOUT_S = 30.0
SUPPORTED = ("PostgreSQL",)
KNOWN = ("PostgreSQL", "MySQL", "TiDB", "Microsoft SQL Server")


def json_cell(value: Any) -> Any:
    """A row value as node-postgres gives it to JSON: numerics as text, dates as ISO strings."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [json_cell(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_cell(v) for k, v in value.items()}
    return str(value)


@register_tool
class DatabaseConnectionTool(SystemTool):
    tool_id = "databaseConnection"
    aliases = ("community-databaseConnection", "systemTool-databaseConnection")
    name = "数据库连接"
    intro = "可连接常用数据库，并执行sql"
    avatar = "core/workflow/template/datasource"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        database_type = text_input(inputs, "databaseType")
        if database_type not in KNOWN:
            raise NodeRunError(f"databaseType must be one of {', '.join(KNOWN)}")
        if database_type not in SUPPORTED:
            raise NodeRunError(f"{database_type} is not supported by this server (PostgreSQL only)")
        host, sql = text_input(inputs, "host").strip(), text_input(inputs, "sql")
        if not host or not sql:
            raise NodeRunError("host and sql are required")
        try:
            port = int(float(text_input(inputs, "port") or 5432))
        except ValueError:
            raise NodeRunError("port must be a number") from None
        try:
            await check_host(f"http://{host}:{port}/", allow_private=ctx.settings.link_fetch_allow_private)
        except LinkFetchError as error:
            raise NodeRunError(str(error).replace("Refusing to fetch", "Refusing to connect to")) from error
        try:
            connection = await asyncpg.connect(
                host=host,
                port=port,
                database=text_input(inputs, "databaseName") or None,
                user=text_input(inputs, "user") or None,
                password=text_input(inputs, "password") or None,
                timeout=CONNECT_TIMEOUT_S,
            )
            try:
                rows = await connection.fetch(sql)
            finally:
                await connection.close()
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as error:
            raise NodeRunError(str(error) or "An unknown error occurred") from error
        return {"result": [{key: json_cell(value) for key, value in row.items()} for row in rows]}

"""`getTime` (获取当前时间): the current time in the user's timezone.

FastGPT: `packages/plugins/src/getTime` (4.8/4.9, an HTTP node posting `{{cTime}}`) and
fastgpt-plugin `modules/tool/packages/getTime` (4.10+, `systemVar.time` = `variables.cTime`).
No inputs; output `time` formatted `YYYY-MM-DD HH:mm:ss dddd`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.system_tools import SystemTool, register_tool


def current_time(timezone: str) -> str:
    """`getSystemTime(timezone)`: `YYYY-MM-DD HH:mm:ss dddd` (UTC for an unknown zone)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(zone).strftime("%Y-%m-%d %H:%M:%S %A")


@register_tool
class GetTimeTool(SystemTool):
    tool_id = "getTime"
    aliases = ("community-getTime", "systemTool-getTime")
    name = "获取当前时间"
    intro = "获取用户当前时区的时间。"
    avatar = "core/workflow/template/getTime"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        current = ctx.variables.get("cTime")
        if not isinstance(current, str) or not current:
            current = current_time(ctx.run_state.timezone)
        return {"time": current}

"""`delay` (流程等待): wait the given milliseconds.

FastGPT: fastgpt-plugin `modules/tool/packages/delay` — input `ms` (old key `延迟时长`), a
number from 1 to 300000, default 1 when empty; no outputs. (4.9's `packages/plugins/src/delay`
returned `ms` and skipped the wait for out-of-range values.)
"""

from __future__ import annotations

import asyncio
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool

MAX_DELAY_MS = 300_000


def _milliseconds(inputs: dict[str, Any]) -> float:
    for key in ("ms", "延迟时长"):
        value = inputs.get(key)
        if value is None or value == "" or value == 0:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise NodeRunError(f"{key} must be a number, got {value!r}") from None
        if not 1 <= number <= MAX_DELAY_MS:
            raise NodeRunError(f"{key} must be between 1 and {MAX_DELAY_MS} milliseconds, got {value}")
        return number
    return 1.0


@register_tool
class DelayTool(SystemTool):
    tool_id = "delay"
    aliases = ("community-delay", "systemTool-delay")
    name = "流程等待"
    intro = "让工作流等待指定时间后运行"
    avatar = "core/workflow/template/sleep"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(_milliseconds(inputs) / 1000)
        return {}

    async def run_callback(self, ctx: NodeContext, body: dict[str, Any]) -> Any:
        """4.9's callback: waits `ms` when it is a number in range, and answers `ms` either way."""
        ms = body.get("ms")
        if isinstance(ms, (int, float)) and not isinstance(ms, bool) and 0 < ms <= MAX_DELAY_MS:
            await asyncio.sleep(ms / 1000)
        return ms

"""Run a system tool as a workflow node and shape FastGPT's node result (`dispatchRunTool`,
`packages/service/core/workflow/dispatch/child/runTool.ts`)."""

from __future__ import annotations

import logging

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import UsageItem
from pyfastgpt.workflow.node import NodeResult, NodeRunError, node_error
from pyfastgpt.workflow.system_tools import SystemTool
from pyfastgpt.workflow.system_tools.common import tool_inputs

log = logging.getLogger(__name__)


async def run_system_tool(ctx: NodeContext, tool: SystemTool) -> NodeResult:
    """Outputs as `data`, node response `{toolRes, moduleLogo, totalPoints: 0}` (plus the legacy
    `pluginOutput`), one usage item of 0 points, and the outputs as the tool-call response.
    User errors come back as FastGPT's node error (catch branch when `catchError`)."""
    avatar = str(ctx.node.raw.get("avatar") or tool.avatar or "")
    try:
        outputs = await tool.run(ctx, tool_inputs(ctx.params))
    except NodeRunError as error:
        return node_error(error, custom_response={"moduleLogo": avatar})
    except Exception as error:  # a tool bug must not escape the node
        log.exception("system tool %s failed", tool.tool_id)
        return node_error(error, custom_response={"moduleLogo": avatar})
    return NodeResult(
        data=dict(outputs),
        response={"toolRes": outputs, "pluginOutput": outputs, "moduleLogo": avatar, "totalPoints": 0},
        usages=[UsageItem(module_name=ctx.node.name or tool.name, model="", total_points=0)],
        tool_responses=outputs,
    )

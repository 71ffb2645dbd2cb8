"""`pluginInput` / `pluginOutput`: a plugin's parameters and result."""

from __future__ import annotations

from pyfastgpt.workflow.chat_values import prompt_from_value
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@register_node
class PluginInputNode(Node):
    node_type = "pluginInput"

    async def run(self, ctx: NodeContext) -> NodeResult:
        params = dict(ctx.params)
        for key, value in params.items():
            if (
                isinstance(value, list)
                and value
                and all(isinstance(v, dict) and v.get("type") in ("file", "image") for v in value)
            ):
                params[key] = [v.get("url") for v in value]
        _, files = prompt_from_value(ctx.query)
        return NodeResult(
            data={**params, "userFiles": [str(f.get("url")) for f in files if f.get("url")]},
            response={},
        )


@register_node
class PluginOutputNode(Node):
    node_type = "pluginOutput"

    async def run(self, ctx: NodeContext) -> NodeResult:
        return NodeResult(response={"totalPoints": 0, "pluginOutput": dict(ctx.params)})

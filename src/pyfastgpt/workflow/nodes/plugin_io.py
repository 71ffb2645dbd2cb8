"""`pluginInput` / `pluginOutput`: a plugin's parameters and result."""

from __future__ import annotations

from pyfastgpt.workflow.chat_values import prompt_from_value
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NoInputs
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@register_node
class PluginInputNode(Node[NoInputs]):
    node_type = "pluginInput"
    inputs_type = NoInputs

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        params = dict(ctx.params)  # dynamic: the plugin's own input fields, all passed on as outputs
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
class PluginOutputNode(Node[NoInputs]):
    node_type = "pluginOutput"
    inputs_type = NoInputs

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        # dynamic: the plugin's own output fields, all returned as its result
        return NodeResult(response={"totalPoints": 0, "pluginOutput": dict(ctx.params)})

"""UI-only node types: they run and do nothing (userGuide, pluginConfig, comment, …)."""

from __future__ import annotations

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NoInputs
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@register_node
class NoopNode(Node[NoInputs]):
    node_type = "emptyNode"
    aliases = ("userGuide", "systemConfig", "pluginConfig", "globalVariable", "comment")
    inputs_type = NoInputs

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        return NodeResult()

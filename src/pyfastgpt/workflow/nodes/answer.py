"""`answerNode`: a fixed (templated) reply, streamed as `fastAnswer`."""

from __future__ import annotations

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import AnswerDelta
from pyfastgpt.workflow.node import Node, NodeResult, register_node
from pyfastgpt.workflow.values import js_json


@register_node
class AnswerNode(Node):
    node_type = "answerNode"

    async def run(self, ctx: NodeContext) -> NodeResult:
        text = ctx.params.get("text")
        if text is None:
            text = ""
        formatted = text if isinstance(text, str) else js_json(text, indent=2)
        reply = f"\n{formatted}"
        ctx.emit(AnswerDelta(content=reply, fast=True))
        return NodeResult(data={"answerText": reply}, response={"textOutput": formatted})

"""`answerNode`: a fixed (templated) reply, streamed as `fastAnswer`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import AnswerDelta
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node
from pyfastgpt.workflow.values import js_json


@dataclass(slots=True)
class AnswerInputs(NodeInputs):
    text: Any = wire("text", "")


@register_node
class AnswerNode(Node[AnswerInputs]):
    node_type = "answerNode"
    inputs_type = AnswerInputs

    async def run(self, ctx: NodeContext, inputs: AnswerInputs) -> NodeResult:
        text = "" if inputs.text is None else inputs.text
        formatted = text if isinstance(text, str) else js_json(text, indent=2)
        reply = f"\n{formatted}"
        ctx.emit(AnswerDelta(content=reply, fast=True))
        return NodeResult(data={"answerText": reply}, response={"textOutput": formatted})

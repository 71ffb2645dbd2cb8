"""`customFeedback`: attach a feedback text to the AI chat item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import AnswerDelta
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@dataclass(slots=True)
class CustomFeedbackInputs(NodeInputs):
    text: Any = wire("system_textareaInput", "", or_default=True)


@register_node
class CustomFeedbackNode(Node[CustomFeedbackInputs]):
    node_type = "customFeedback"
    inputs_type = CustomFeedbackInputs

    async def run(self, ctx: NodeContext, inputs: CustomFeedbackInputs) -> NodeResult:
        text = str(inputs.text)
        ctx.run_state.custom_feedbacks.append(text)
        state = ctx.run_state
        if state.stream and (not state.chat_id or not state.response_chat_item_id):
            ctx.emit(AnswerDelta(content=f'\n\n**Custom feedback recorded (debug only)**: "{text}"\n\n', fast=True))
        return NodeResult(response={"textOutput": text})

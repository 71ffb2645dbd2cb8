"""`customFeedback`: attach a feedback text to the AI chat item."""

from __future__ import annotations

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import AnswerDelta
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@register_node
class CustomFeedbackNode(Node):
    node_type = "customFeedback"

    async def run(self, ctx: NodeContext) -> NodeResult:
        text = str(ctx.params.get("system_textareaInput") or "")
        ctx.run_state.custom_feedbacks.append(text)
        state = ctx.run_state
        if state.stream and (not state.chat_id or not state.response_chat_item_id):
            ctx.emit(AnswerDelta(content=f'\n\n**Custom feedback recorded (debug only)**: "{text}"\n\n', fast=True))
        return NodeResult(response={"textOutput": text})

"""`workflowStart`: the entry; outputs the user's question text and file URLs."""

from __future__ import annotations

from dataclasses import dataclass

from pyfastgpt.workflow.chat_values import prompt_from_value
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@dataclass(slots=True)
class WorkflowStartInputs(NodeInputs):
    user_chat_input: str = wire("userChatInput", "", or_default=True)


@register_node
class WorkflowStartNode(Node[WorkflowStartInputs]):
    node_type = "workflowStart"
    inputs_type = WorkflowStartInputs

    async def run(self, ctx: NodeContext, inputs: WorkflowStartInputs) -> NodeResult:
        text, files = prompt_from_value(ctx.query)
        query_files = [str(f.get("url")) for f in files if f.get("url")]
        variable_files = ctx.variables.get("fileUrlList")
        extra = list(variable_files) if isinstance(variable_files, list) else []
        return NodeResult(
            response={},
            data={
                "userChatInput": text or inputs.user_chat_input,
                "userFiles": query_files + extra,
            },
        )

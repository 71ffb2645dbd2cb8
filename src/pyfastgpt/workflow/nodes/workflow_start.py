"""`workflowStart`: the entry; outputs the user's question text and file URLs."""

from __future__ import annotations

from pyfastgpt.workflow.chat_values import prompt_from_value
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@register_node
class WorkflowStartNode(Node):
    node_type = "workflowStart"

    async def run(self, ctx: NodeContext) -> NodeResult:
        text, files = prompt_from_value(ctx.query)
        query_files = [str(f.get("url")) for f in files if f.get("url")]
        variable_files = ctx.variables.get("fileUrlList")
        extra = list(variable_files) if isinstance(variable_files, list) else []
        return NodeResult(
            response={},
            data={
                "userChatInput": text or ctx.params.get("userChatInput") or "",
                "userFiles": query_files + extra,
            },
        )

"""`userSelect`: pause with buttons; on resume route to the chosen option's handle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.chat_values import prompt_from_value
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.graph import handle_id
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@dataclass(slots=True)
class UserSelectInputs(NodeInputs):
    options: list[Any] = wire("userSelectOptions", factory=list, or_default=True)
    description: Any = wire("description", "", or_default=True)


@register_node
class UserSelectNode(Node[UserSelectInputs]):
    node_type = "userSelect"
    inputs_type = UserSelectInputs

    async def run(self, ctx: NodeContext, inputs: UserSelectInputs) -> NodeResult:
        options = inputs.options
        description = inputs.description
        last = ctx.last_interactive or {}
        if not ctx.node.is_entry or last.get("type") != "userSelect":
            return NodeResult(
                interactive={
                    "type": "userSelect",
                    "params": {"description": description, "userSelectOptions": options},
                }
            )
        ctx.node.is_entry = False
        selected, _ = prompt_from_value(ctx.query)
        node_id = ctx.node.node_id
        return NodeResult(
            data={"selectResult": selected},
            rewrite_histories=ctx.histories[:-2],
            skip_handle_ids=[
                handle_id(node_id, "source", str(o.get("key"))) for o in options if o.get("value") != selected
            ],
            response={"userSelectResult": selected},
            tool_responses=selected,
        )

"""`formInput`: pause with a form; on resume the submitted JSON becomes outputs."""

from __future__ import annotations

import json
from typing import Any

from pyfastgpt.workflow.chat_values import prompt_from_value
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@register_node
class FormInputNode(Node):
    node_type = "formInput"

    async def run(self, ctx: NodeContext) -> NodeResult:
        forms = ctx.params.get("userInputForms") or []
        last = ctx.last_interactive or {}
        if not ctx.node.is_entry or last.get("type") != "userInput":
            return NodeResult(
                interactive={
                    "type": "userInput",
                    "params": {"description": ctx.params.get("description") or "", "inputForm": forms},
                }
            )
        ctx.node.is_entry = False
        text, _ = prompt_from_value(ctx.query)
        try:
            submitted: Any = json.loads(text)
        except ValueError:
            submitted = {}
        if not isinstance(submitted, dict):
            submitted = {}
        # Forms may be submitted by label (UI) or key (API); expose both under the key.
        values = dict(submitted)
        for form in forms:
            key, label = form.get("key"), form.get("label")
            if key and key not in values and label in submitted:
                values[key] = submitted[label]
        return NodeResult(
            data={**values, "formInputResult": values},
            rewrite_histories=ctx.histories[:-2],
            tool_responses=values,
            response={"formInputResult": values},
        )

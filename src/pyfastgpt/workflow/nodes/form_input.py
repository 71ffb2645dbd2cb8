"""`formInput`: pause with a form; on resume the submitted JSON becomes outputs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.chat_values import prompt_from_value
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node


@dataclass(slots=True)
class FormInputInputs(NodeInputs):
    forms: list[Any] = wire("userInputForms", factory=list, or_default=True)
    description: Any = wire("description", "", or_default=True)


@register_node
class FormInputNode(Node[FormInputInputs]):
    node_type = "formInput"
    inputs_type = FormInputInputs

    async def run(self, ctx: NodeContext, inputs: FormInputInputs) -> NodeResult:
        forms = inputs.forms
        last = ctx.last_interactive or {}
        if not ctx.node.is_entry or last.get("type") != "userInput":
            return NodeResult(
                interactive={
                    "type": "userInput",
                    "params": {"description": inputs.description, "inputForm": forms},
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

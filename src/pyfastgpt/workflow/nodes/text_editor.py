"""`textEditor`: template text with its own dynamic inputs and global variables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node
from pyfastgpt.workflow.templating import replace_variable
from pyfastgpt.workflow.values import js_json


def _text_form(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return js_json(value, indent=2)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


@dataclass(slots=True)
class TextEditorInputs(NodeInputs):
    text: str = wire("system_textareaInput", "", or_default=True)
    custom: dict[str, Any] = wire("system_addInputParam", factory=dict, or_default=True)


@register_node
class TextEditorNode(Node[TextEditorInputs]):
    node_type = "textEditor"
    inputs_type = TextEditorInputs

    async def run(self, ctx: NodeContext, inputs: TextEditorInputs) -> NodeResult:
        values = {key: _text_form(value) for key, value in inputs.custom.items()}
        result = replace_variable(inputs.text, {**values, **ctx.variables})
        return NodeResult(data={"system_text": result}, response={"textOutput": result})

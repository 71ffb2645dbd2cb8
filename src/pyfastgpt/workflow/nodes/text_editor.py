"""`textEditor`: template text with its own dynamic inputs and global variables."""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.context import NodeContext
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


@register_node
class TextEditorNode(Node):
    node_type = "textEditor"

    async def run(self, ctx: NodeContext) -> NodeResult:
        text = ctx.params.get("system_textareaInput") or ""
        custom = ctx.params.get("system_addInputParam") or {}
        values = {key: _text_form(value) for key, value in custom.items()}
        result = replace_variable(text, {**values, **ctx.variables})
        return NodeResult(data={"system_text": result}, response={"textOutput": result})

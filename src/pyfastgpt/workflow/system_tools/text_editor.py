"""`textEditor` (文本加工): the 4.8 system plugin form of the text editor node.

FastGPT 4.8 apps store it as `pluginModule` with `pluginId: "community-textEditor"`: a template
input `文本` whose `{{key}}` placeholders name the node's other (dynamic) inputs, and one output
`text`. Non-string values are written as JSON, like the engine's `replaceVariable`.
"""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.templating import replace_variable
from pyfastgpt.workflow.values import val_to_str

TEMPLATE_KEYS = ("文本", "text", "system_textareaInput")
DYNAMIC_KEY = "system_addInputParam"


@register_tool
class TextEditorTool(SystemTool):
    tool_id = "textEditor"
    aliases = ("community-textEditor", "systemTool-textEditor")
    name = "文本加工"
    intro = "可对固定或传入的文本进行加工后输出，非字符串类型数据最终会转成字符串类型。"
    avatar = "/imgs/workflow/textEditor.svg"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        template_key = next((k for k in TEMPLATE_KEYS if inputs.get(k) not in (None, "")), None)
        template = val_to_str(inputs[template_key]) if template_key else ""
        dynamic = inputs.get(DYNAMIC_KEY)
        values = {k: v for k, v in inputs.items() if k != template_key and k != DYNAMIC_KEY}
        if isinstance(dynamic, dict):
            values.update(dynamic)
        return {"text": replace_variable(template, values)}

"""`feishu` (飞书 webhook): send a message to a Feishu/Lark group robot.

FastGPT: fastgpt-plugin `modules/tool/packages/feishu` (4.8/4.9: `packages/plugins/src/feishu`, a
code node + HTTP node). Inputs `content` and `hook_url`. A `content` that parses as a JSON object
is sent as the whole message; anything else is sent as `{"msg_type": "text", "content": {"text": content}}`.
Output `result`: the robot's JSON answer (`{code, msg, ...}`).
"""

from __future__ import annotations

import json
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import post_json, text_input


def feishu_message(content: str) -> Any:
    try:
        parsed = json.loads(content)
    except ValueError:
        parsed = None
    if isinstance(parsed, (dict, list)):
        return parsed
    return {"msg_type": "text", "content": {"text": content}}


@register_tool
class FeishuWebhookTool(SystemTool):
    tool_id = "feishu"
    aliases = ("community-feishu", "systemTool-feishu", "feishuWebhook")
    name = "飞书 webhook"
    intro = "向飞书机器人发起 webhook 请求。"
    avatar = "core/app/templates/plugin-feishu"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        content = inputs.get("content")
        hook_url = text_input(inputs, "hook_url").strip()
        if not hook_url:
            raise NodeRunError("hook_url (飞书机器人地址) is required")
        if content is None or content == "":
            raise NodeRunError("content (需要发送的消息) is required")
        message = content if isinstance(content, dict) else feishu_message(text_input(inputs, "content"))
        response = await post_json(ctx, hook_url, message, what="Feishu webhook")
        try:
            return {"result": response.json()}
        except ValueError:
            raise NodeRunError(
                f"Feishu webhook answered HTTP {response.status_code} without JSON: {response.text[:200]}"
            ) from None

"""`WeWorkWebhook` (企业微信 webhook): send a text message to a WeCom group robot.

FastGPT: fastgpt-plugin `modules/tool/packages/WeWorkWebhook`. Inputs `webhookUrl` / `message`
(old keys `企微机器人地址` / `发送的消息`), both required (``必须传入机器人地址和消息内容``). Body
`{"msgtype": "text", "text": {"content": message}}`; a non-200 answer becomes the output `error`
(its body text), otherwise there are no outputs.
"""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import post_json, text_input


@register_tool
class WeWorkWebhookTool(SystemTool):
    tool_id = "WeWorkWebhook"
    aliases = ("community-WeWorkWebhook", "systemTool-WeWorkWebhook", "WeComWebhook")
    name = "企业微信 webhook"
    intro = "向企业微信机器人发起 webhook 请求。"
    avatar = "plugins/qiwei"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        webhook_url = text_input(inputs, "webhookUrl", "企微机器人地址").strip()
        message = text_input(inputs, "message", "发送的消息")
        if not (webhook_url and message):
            raise NodeRunError("必须传入机器人地址和消息内容")
        response = await post_json(
            ctx, webhook_url, {"msgtype": "text", "text": {"content": message}}, what="WeCom webhook"
        )
        if response.status_code != 200:
            return {"error": response.text}
        return {}

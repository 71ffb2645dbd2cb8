"""`DingTalkWebhook` (钉钉 webhook): send a text message to a DingTalk group robot.

FastGPT: fastgpt-plugin `modules/tool/packages/DingTalkWebhook` (4.10+; 4.8 kept it as a workflow
plugin with the Chinese keys). Inputs `webhookUrl` / `secret` / `message` (old keys `钉钉机器人地址` /
`加签值` / `发送的消息`), all required (``必须传入机器人地址、加签值和消息内容``). The URL gets
`timestamp` (ms) and `sign` = base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")); the body is
`{"msgtype": "text", "text": {"content": message}}`. No outputs; the robot's answer is not read.
(FastGPT URL-encodes `sign` twice; here it is encoded once, as DingTalk documents.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import urlencode

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import post_json, text_input


def signed_url(webhook_url: str, secret: str, timestamp_ms: int) -> str:
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    query = urlencode({"timestamp": str(timestamp_ms), "sign": base64.b64encode(digest).decode()})
    base, _, fragment = webhook_url.partition("#")
    joined = f"{base}{'&' if '?' in base else '?'}{query}"
    return f"{joined}#{fragment}" if fragment else joined


@register_tool
class DingTalkWebhookTool(SystemTool):
    tool_id = "DingTalkWebhook"
    aliases = ("community-DingTalkWebhook", "systemTool-DingTalkWebhook")
    name = "钉钉 webhook"
    intro = "向钉钉机器人发起 webhook 请求。"
    avatar = "plugins/dingding"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        webhook_url = text_input(inputs, "webhookUrl", "钉钉机器人地址").strip()
        secret = text_input(inputs, "secret", "加签值")
        message = text_input(inputs, "message", "发送的消息")
        if not (webhook_url and secret and message):
            raise NodeRunError("必须传入机器人地址、加签值和消息内容")
        url = signed_url(webhook_url, secret, int(time.time() * 1000))
        await post_json(ctx, url, {"msgtype": "text", "text": {"content": message}}, what="DingTalk webhook")
        return {}

"""`historyToMd`: chat history → markdown (and its UTF-8-with-BOM base64).

FastGPT: `packages/plugins/src/historyToMd/index.ts`. Inputs `history` (chat items) and
`historyCount` (how many of the last items); outputs `markdownContent` and `base64`. Each item is
``Role: <用户|AI|System>`` followed by its text parts and file parts as ``![file](url)``; items
are joined by a ``-------`` rule.
"""

from __future__ import annotations

import base64
from typing import Any

from pyfastgpt.workflow.chat_values import select_histories
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool


def _item_markdown(item: dict[str, Any]) -> str:
    role = "用户" if item.get("obj") == "Human" else str(item.get("obj") or "")
    parts: list[str] = []
    for value in item.get("value") or []:
        if not isinstance(value, dict):
            continue
        if value.get("type") == "text":
            parts.append(str((value.get("text") or {}).get("content") or ""))
        elif value.get("type") == "file":
            parts.append(f"![file]({(value.get('file') or {}).get('url') or ''})")
        else:
            parts.append("")
    return f"Role: {role}\n" + "\n".join(parts)


@register_tool
class HistoryToMarkdownTool(SystemTool):
    tool_id = "historyToMd"
    aliases = ("community-historyToMd", "systemTool-historyToMd")
    name = "对话记录转 Markdown"
    intro = "把对话记录转换成 Markdown 文本。"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        history = inputs.get("history")
        if history is None:
            history = []
        elif isinstance(history, (int, float)) and not isinstance(history, bool):
            history = select_histories(history, ctx.histories)  # a number: the last N rounds
        if not isinstance(history, list):
            raise NodeRunError("Failed to generate markdown content")
        try:
            count = int(float(inputs.get("historyCount") or 0))
        except (TypeError, ValueError):
            raise NodeRunError("Failed to generate markdown content") from None
        # `history.slice(-min(len, count))`: a count of 0 keeps everything, like JS slice(-0)
        items = history[-min(len(history), count) :] if count > 0 else history
        markdown = "\n\n-------\n\n".join(_item_markdown(i) for i in items if isinstance(i, dict))
        encoded = base64.b64encode(("\ufeff" + markdown).encode("utf-8")).decode("ascii")
        return {"base64": encoded, "markdownContent": markdown}

"""`wiki` (Wiki搜索): the summary of a Wikipedia page.

FastGPT: `packages/plugins/src/wiki/index.ts` (4.9, `wikijs` against `zh.wikipedia.org`) and
fastgpt-plugin `modules/tool/packages/wiki`. Input `query` (a page title); output `result`: the
page's intro as plain text. After 3 failed attempts `result` is the error text
(``Failed to fetch data from wiki``), not a node error.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any, ClassVar

import httpx

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import outbound_http, text_input

RETRIES = 3
FAILED_TEXT = "Failed to fetch data from wiki"


def page_summary(body: Any) -> str | None:
    """The `extract` of the first page of a MediaWiki `prop=extracts` answer, None if missing."""
    pages = ((body or {}).get("query") or {}).get("pages") or {}
    for page in pages.values() if isinstance(pages, dict) else pages:
        if isinstance(page, dict) and "missing" not in page and page.get("extract") is not None:
            return str(page["extract"])
    return None


@register_tool
class WikipediaTool(SystemTool):
    callback_errors_as_result = True
    tool_id = "wiki"
    aliases = ("community-wiki", "systemTool-wiki", "search/wiki")
    name = "Wiki搜索"
    intro = "在Wiki中查询释义。"
    avatar = "core/workflow/template/wiki"
    api_url: ClassVar[str] = "https://zh.wikipedia.org/w/api.php"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        query = text_input(inputs, "query")
        if not query:
            raise NodeRunError("Missing query content")
        params = {
            "action": "query",
            "format": "json",
            "prop": "extracts",
            "exintro": "1",
            "explaintext": "1",
            "redirects": "1",
            "titles": query,
        }
        async with outbound_http(ctx, self.api_url) as client:
            for attempt in range(RETRIES + 1):
                try:
                    response = await client.get(self.api_url, params=params)
                    response.raise_for_status()
                    summary = page_summary(response.json())
                    return {"result": summary if summary is not None else "No article found"}
                except (httpx.HTTPError, ValueError):
                    if attempt < RETRIES:
                        await asyncio.sleep(random.random())
        return {"result": FAILED_TEXT}

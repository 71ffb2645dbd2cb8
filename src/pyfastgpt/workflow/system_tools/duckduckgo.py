"""`duckduckgo/search` (DuckDuckGo 网络搜索): key-free web search.

FastGPT: `packages/plugins/src/duckduckgo/search/index.ts` (4.9, the `duck-duck-scrape` package)
and fastgpt-plugin `modules/tool/packages/duckduckgo`. Inputs `query` (and `max_results`, default
10); output `result`: a JSON string of `[{title, link, snippet}]`. After 3 failed attempts the
`result` is the error text (``Failed to fetch data from DuckDuckGo``), not a node error.
Here the results come from DuckDuckGo's HTML endpoint (`html.duckduckgo.com/html/`), which needs
no token. The image/news/video children of the toolset are not provided.
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any, ClassVar
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
from bs4 import BeautifulSoup, Tag

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import outbound_http, text_input

RETRIES = 3
FAILED_TEXT = "Failed to fetch data from DuckDuckGo"


def _target(href: str, base: str) -> str:
    """DuckDuckGo wraps result links as `/l/?uddg=<url>`; return the real URL."""
    absolute = urljoin(base, href)
    wrapped = parse_qs(urlsplit(absolute).query).get("uddg")
    return wrapped[0] if wrapped else absolute


def parse_results(html: str, base: str) -> list[dict[str, str]]:
    soup = BeautifulSoup(html, "lxml")
    results: list[dict[str, str]] = []
    for element in soup.select(".result"):
        if "result--ad" in (element.get("class") or []):
            continue
        anchor = element.select_one("a.result__a")
        if not isinstance(anchor, Tag):
            continue
        snippet = element.select_one(".result__snippet")
        results.append(
            {
                "title": anchor.get_text().strip(),
                "link": _target(str(anchor.get("href") or ""), base),
                "snippet": snippet.get_text().strip() if isinstance(snippet, Tag) else "",
            }
        )
    return results


@register_tool
class DuckDuckGoSearchTool(SystemTool):
    callback_errors_as_result = True
    tool_id = "duckduckgo/search"
    aliases = ("community-duckduckgo/search", "systemTool-duckduckgo/search", "duckduckgo")
    name = "DuckDuckGo 网络搜索"
    intro = "使用 DuckDuckGo 进行网络搜索"
    avatar = "core/workflow/template/duckduckgo"
    endpoint: ClassVar[str] = "https://html.duckduckgo.com/html/"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        query = text_input(inputs, "query")
        if not query:
            raise NodeRunError("Missing query content")
        try:
            limit = max(1, int(float(inputs.get("max_results") or 10)))
        except (TypeError, ValueError):
            limit = 10
        async with outbound_http(ctx, self.endpoint) as client:
            for attempt in range(RETRIES + 1):
                try:
                    response = await client.post(self.endpoint, data={"q": query, "kl": "wt-wt"})
                    response.raise_for_status()
                    results = parse_results(response.text, self.endpoint)
                    return {"result": json.dumps(results[:limit], ensure_ascii=False)}
                except httpx.HTTPError:
                    if attempt < RETRIES:
                        await asyncio.sleep(random.random())
        return {"result": FAILED_TEXT}

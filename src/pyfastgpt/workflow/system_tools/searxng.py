"""`searchXNG` (SearXNG 搜索): search through a user-deployed SearXNG instance.

FastGPT: `packages/plugins/src/searchXNG/index.ts` (4.9) and fastgpt-plugin
`modules/tool/packages/searchXNG` (4.10+, where `url` comes from `system_input_config`). Inputs
`query` and `url` (the instance's search URL). `GET <url>?q=<query>&language=auto`, each `.result`
element → `{title: h3 text, link: first a href, snippet: .content text}`, the first 10 as a JSON
string in `result`. No results → `result` ``[]`` and `error` ``{message: 'No search results', code: 500}``;
a failing instance is retried 3 times, then the node fails with
``Failed to fetch data from Search XNG``. The instance must be public unless `LINK_FETCH_ALLOW_PRIVATE`.
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any
from urllib.parse import urlencode

import httpx
from bs4 import BeautifulSoup, Tag

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import outbound_http, text_input

RETRIES = 3
MAX_RESULTS = 10


def parse_results(html: str) -> list[dict[str, str]]:
    soup = BeautifulSoup(html, "lxml")
    results: list[dict[str, str]] = []
    for element in soup.select(".result"):
        title = element.find("h3")
        link = element.find("a", href=True)
        snippet = element.select_one(".content")
        results.append(
            {
                "title": title.get_text().strip() if isinstance(title, Tag) else "",
                "link": str(link.get("href") or "") if isinstance(link, Tag) else "",
                "snippet": snippet.get_text().strip() if isinstance(snippet, Tag) else "",
            }
        )
    return results


@register_tool
class SearXNGTool(SystemTool):
    tool_id = "searchXNG"
    aliases = ("community-searchXNG", "systemTool-searchXNG", "searxng")
    name = "SearXNG 搜索"
    intro = "使用 SearXNG 服务进行搜索。"
    avatar = "core/workflow/template/searxng"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        query = text_input(inputs, "query")
        url = text_input(inputs, "url").strip()
        if not query:
            raise NodeRunError("Missing query content")
        if not url:
            raise NodeRunError("Can not find url")
        search_url = f"{url}{'&' if '?' in url else '?'}{urlencode({'q': query, 'language': 'auto'})}"
        html = await self._fetch(ctx, search_url)
        results = parse_results(html)
        if not results:
            return {"result": "[]", "error": {"message": "No search results", "code": 500}}
        return {"result": json.dumps(results[:MAX_RESULTS], ensure_ascii=False)}

    async def _fetch(self, ctx: NodeContext, search_url: str) -> str:
        async with outbound_http(ctx, search_url) as client:
            for attempt in range(RETRIES + 1):
                try:
                    response = await client.get(search_url)
                    return response.text
                except httpx.HTTPError:
                    if attempt == RETRIES:
                        break
                    await asyncio.sleep(random.random() * 2)
        raise NodeRunError("Failed to fetch data from Search XNG")

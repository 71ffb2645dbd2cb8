"""`fetchUrl` (网页内容抓取): fetch a web page and return it as markdown.

FastGPT: fastgpt-plugin `modules/tool/packages/fetchUrl` (4.10+; 4.9: `packages/plugins/src/fetchUrl`
over `service/common/string/cheerio.ts`). Input `url`; the page's `body` with `i`/`script`/`style`
and empty links removed, relative links made absolute, converted to markdown → output `result`
(and `title`, declared by the tool's config). Failures do not fail the node: `result` carries the
error text, and an internal address gives ``Cannot fetch internal url``.

Here "internal" is every private, loopback, link-local (cloud metadata), CGNAT or reserved
address, checked on every redirect hop and at connect time, unless `LINK_FETCH_ALLOW_PRIVATE`;
`LINK_FETCH_TIMEOUT_S` and `LINK_FETCH_MAX_BYTES` bound the download.
"""

from __future__ import annotations

from typing import Any

from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.rag.readers.link import PrivateAddressRefused, fetch_link
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.common import text_input

MAX_TEXT_LENGTH = 100_000  # FastGPT cuts the page at 100k characters before converting it
INTERNAL_URL_TEXT = "Cannot fetch internal url"


@register_tool
class FetchUrlTool(SystemTool):
    tool_id = "fetchUrl"
    aliases = ("community-fetchUrl", "systemTool-fetchUrl")
    name = "网页内容抓取"
    intro = "可获取一个网页链接内容，并以 Markdown 格式输出，仅支持获取静态网站。"
    avatar = "core/workflow/template/fetchUrl"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        url = text_input(inputs, "url").strip()
        if not url:
            raise NodeRunError("url is required")
        settings = ctx.settings
        try:
            page = await fetch_link(
                url,
                selector="body",
                timeout_s=settings.link_fetch_timeout_s,
                max_bytes=settings.link_fetch_max_bytes,
                allow_private=settings.link_fetch_allow_private,
            )
        except PrivateAddressRefused:
            return {"title": "", "result": INTERNAL_URL_TEXT}
        except InvalidRequest as error:
            return {"title": "", "result": str(error)}
        return {"title": page.title or url, "result": page.text[:MAX_TEXT_LENGTH]}

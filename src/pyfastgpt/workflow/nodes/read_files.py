"""`readFiles`: read linked documents (uploaded or referenced) into text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node
from pyfastgpt.workflow.nodes.documents import file_part_from_url, format_documents, history_file_links, read_links


@dataclass(slots=True)
class ReadFilesInputs(NodeInputs):
    file_urls: Any = wire("fileUrlList", factory=list, or_default=True)


@register_node
class ReadFilesNode(Node[ReadFilesInputs]):
    node_type = "readFiles"
    inputs_type = ReadFilesInputs

    async def run(self, ctx: NodeContext, inputs: ReadFilesInputs) -> NodeResult:
        links = [str(u) for u in inputs.file_urls if u]
        urls = links + history_file_links(ctx.histories)
        max_files = int((ctx.chat_config.get("fileSelectConfig") or {}).get("maxFiles") or 20)
        results = await read_links(ctx, urls, max_files)
        text = format_documents(results)
        raw = [
            {"filename": file_part_from_url(url)["name"], "url": url, "text": body, "error": error}
            for url, body, error in results
        ]
        return NodeResult(
            data={"system_text": text, "system_rawResponse": raw},
            response={
                "readFiles": [{"name": r["filename"], "url": r["url"]} for r in raw],
                "readFilesResult": text[:2000],
            },
            tool_responses={"fileContent": text},
        )

"""Reading linked documents for chat/readFiles nodes through the injected `FileReader`."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import unquote, urlparse

from pyfastgpt.workflow.context import NodeContext

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg")


def file_part_from_url(url: str) -> dict[str, Any]:
    """`parseUrlToFileType`."""
    path = urlparse(url).path
    name = unquote(path.rsplit("/", 1)[-1]) or url
    kind = "image" if name.lower().endswith(IMAGE_EXTENSIONS) else "file"
    return {"type": kind, "name": name, "url": url}


def history_file_links(histories: list[dict[str, Any]]) -> list[str]:
    links: list[str] = []
    for item in histories:
        if item.get("obj") != "Human":
            continue
        for part in item.get("value") or []:
            file = part.get("file") if part.get("type") == "file" else None
            if file and file.get("type") == "file" and file.get("url"):
                links.append(str(file["url"]))
    return links


async def read_links(ctx: NodeContext, urls: list[str], max_files: int = 20) -> list[tuple[str, str, str | None]]:
    """(url, text, error) for each document link (images skipped)."""
    reader = ctx.deps.file_reader
    docs = [u for u in urls if file_part_from_url(u)["type"] == "file"][:max_files]

    async def one(url: str) -> tuple[str, str, str | None]:
        if reader is None:
            return url, "", "No file reader is configured"
        try:
            return url, await reader.read(url), None
        except Exception as exc:
            return url, "", str(exc) or type(exc).__name__

    return list(await asyncio.gather(*(one(u) for u in docs)))


def format_documents(results: list[tuple[str, str, str | None]]) -> str:
    parts = []
    for url, text, error in results:
        name = file_part_from_url(url)["name"]
        body = text if error is None else f"[read error: {error}]"
        parts.append(f"File: {name}\n<Content>\n{body}\n</Content>")
    return "\n******\n".join(parts)


async def read_documents(
    ctx: NodeContext,
    file_links: Any,
    histories: list[dict[str, Any]],
    input_files: list[dict[str, Any]],
) -> tuple[str, list[dict[str, Any]]]:
    """FastGPT's `getMultiInput`: (document quote text, user file parts for the message)."""
    node_input = ctx.node.input("fileUrlList")
    if not node_input or not node_input.get("value"):
        return "", input_files
    links = [str(u) for u in (file_links or []) if u] if isinstance(file_links, list) else []
    urls = links + history_file_links(histories)
    if not urls:
        return "", []
    max_files = int((ctx.chat_config.get("fileSelectConfig") or {}).get("maxFiles") or 20)
    text = format_documents(await read_links(ctx, urls, max_files))
    return text, [file_part_from_url(u) for u in links]

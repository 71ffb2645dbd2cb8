"""Uploaded images → ``data:`` URLs for vision models that cannot reach our own URLs.

A local-backend URL lives on this server (often on localhost or behind a firewall), and a MinIO
endpoint is often private too, so a model provider could not download them. `ImageInliner`
swaps such URLs (in OpenAI-style message parts) for base64 data URLs read straight from
storage; any other URL is left alone.
"""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from pyfastgpt.ai.protocols import ChatMessage
from pyfastgpt.store.objects import ObjectMissing, ObjectStore, ObjectTooLarge, SignatureInvalid

MAX_INLINE_BYTES = 20 * 1024 * 1024


def _host_is_private(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host in ("", "localhost") or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


class ImageInliner:
    def __init__(self, store: ObjectStore, *, max_bytes: int = MAX_INLINE_BYTES) -> None:
        self.store = store
        self.max_bytes = max_bytes

    def needs_inlining(self, url: str) -> bool:
        if url.startswith("data:") or self.store.key_from_url(url) is None:
            return False
        return self.store.backend == "local" or _host_is_private(url)

    async def data_url(self, url: str) -> str:
        """`url` as a ``data:<type>;base64,…`` URL when it is ours and unreachable, else unchanged."""
        if not self.needs_inlining(url):
            return url
        try:
            own = await self.store.read_url(url, max_bytes=self.max_bytes)
        except (ObjectMissing, ObjectTooLarge, SignatureInvalid):
            return url
        if own is None:
            return url
        info, data = own
        return f"data:{info.content_type};base64,{base64.b64encode(data).decode('ascii')}"

    async def inline_parts(self, content: Any) -> Any:
        if not isinstance(content, list):
            return content
        parts: list[Any] = []
        for part in content:
            image = part.get("image_url") if isinstance(part, dict) and part.get("type") == "image_url" else None
            url = image.get("url") if isinstance(image, dict) else None
            if isinstance(image, dict) and isinstance(url, str) and self.needs_inlining(url):
                parts.append({**part, "image_url": {**image, "url": await self.data_url(url)}})
            else:
                parts.append(part)
        return parts

    async def inline_messages(self, messages: list[ChatMessage]) -> list[ChatMessage]:
        """Copies of `messages` whose unreachable own image URLs are data URLs (others untouched)."""
        out: list[ChatMessage] = []
        for message in messages:
            if isinstance(message.content, list):
                out.append(replace(message, content=await self.inline_parts(message.content)))
            else:
                out.append(message)
        return out

"""A `FileReader` that fetches a URL over HTTP and turns txt/md/csv/html into text.

Richer formats (pdf, docx, …) belong to the knowledge-base readers; the chat service may inject
one of those instead.
"""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
from bs4 import BeautifulSoup

TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".csv", ".json", ".log")
HTML_EXTENSIONS = (".html", ".htm")


class UnsupportedFile(Exception):
    pass


class HttpFileReader:
    def __init__(self, *, timeout_s: float = 20.0, max_bytes: int = 10 * 1024 * 1024) -> None:
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes

    async def read(self, url: str) -> str:
        async with (
            httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise UnsupportedFile(f"File is larger than {self.max_bytes} bytes")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            encoding = response.encoding or "utf-8"
        data = b"".join(chunks)
        path = urlparse(url).path.lower()
        text = data.decode(encoding if encoding else "utf-8", errors="replace")
        if path.endswith(HTML_EXTENSIONS) or "text/html" in content_type:
            return BeautifulSoup(text, "html.parser").get_text("\n", strip=True)
        if path.endswith(TEXT_EXTENSIONS) or content_type.startswith(("text/", "application/json")):
            return text
        raise UnsupportedFile(f"Unsupported file type: {path.rsplit('/', 1)[-1] or url}")

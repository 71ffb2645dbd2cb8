"""Fetch a web page (a ``link`` collection) and turn it into markdown.

Safety: only http(s); every hop of a redirect chain is re-checked, at most ``max_redirects`` hops;
the host is resolved and *all* of its addresses must be public unless ``allow_private`` (loopback,
RFC 1918, link-local incl. cloud metadata 169.254.169.254, CGNAT, ULA, multicast, reserved and
IPv4-mapped forms are refused); the body is streamed and cut off at ``max_bytes``. Besides the
early check, the connection itself goes through :class:`PublicOnlyTransport`, which resolves once
and connects only to checked addresses, so DNS rebinding cannot slip an internal address in.
(An HTTP(S)_PROXY from the environment takes precedence over it; the proxy then decides.)

HTML is narrowed with the collection's ``webPageSelector`` (CSS, via BeautifulSoup ``select``),
scripts/styles/icons and empty links are removed, relative links become absolute, and the rest is
converted to markdown. Non-HTML bodies (PDF, docx, plain text …) go through the file readers.
"""

from __future__ import annotations

import asyncio
import mimetypes
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import httpx
from bs4 import Tag

from pyfastgpt.rag.readers.errors import FileTooLarge, UnreadableFile
from pyfastgpt.rag.readers.guarded_http import PublicOnlyTransport, is_public_address, resolve
from pyfastgpt.rag.readers.html_md import html_to_markdown, page_title, parse_html
from pyfastgpt.rag.readers.registry import MB, ReadResult, extension_of, read_file
from pyfastgpt.rag.readers.text import decode_text

USER_AGENT = "Mozilla/5.0 (compatible; pyfastgpt-link-reader/0.1)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class LinkFetchError(UnreadableFile):
    default_key = "invalidResource"
    reason: ClassVar[str] = "fetch_failed"


class PrivateAddressRefused(LinkFetchError):
    reason = "private_address"


async def check_host(url: str, *, allow_private: bool) -> None:
    """Refuse URLs that are not http(s) or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LinkFetchError(f"Only http(s) links can be fetched: {url}", name=url)
    if allow_private:
        return
    host = parts.hostname
    try:
        addresses = await resolve(host, parts.port)
    except OSError as error:
        raise LinkFetchError(f"The host {host} could not be resolved", name=url) from error
    blocked = sorted(a for a in addresses if not is_public_address(a))
    if blocked or not addresses:
        raise PrivateAddressRefused(f"Refusing to fetch {host}: it resolves to a private or reserved address", name=url)


async def fetch_link(
    url: str,
    *,
    selector: str | None = None,
    timeout_s: float = 30.0,
    max_bytes: int = 20 * MB,
    allow_private: bool = False,
    max_redirects: int = 5,
    client: httpx.AsyncClient | None = None,
) -> ReadResult:
    """Download ``url`` (following redirects safely) and read it into markdown."""
    own_client = client is None
    http = client or httpx.AsyncClient(
        timeout=timeout_s,
        headers={"User-Agent": USER_AGENT},
        transport=None if allow_private else PublicOnlyTransport(),
    )
    try:
        final_url, content_type, charset, body = await _download(
            http, url, timeout_s=timeout_s, max_bytes=max_bytes, allow_private=allow_private, hops=max_redirects
        )
    finally:
        if own_client:
            await http.aclose()
    return await asyncio.to_thread(_read_body, final_url, content_type, charset, body, selector)


async def _download(
    http: httpx.AsyncClient, url: str, *, timeout_s: float, max_bytes: int, allow_private: bool, hops: int
) -> tuple[str, str, str | None, bytes]:
    current = url
    for _ in range(hops + 1):
        await check_host(current, allow_private=allow_private)
        try:
            async with asyncio.timeout(timeout_s):
                request = http.build_request("GET", current, timeout=timeout_s)
                response = await http.send(request, stream=True, follow_redirects=False)
                try:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise LinkFetchError(f"The link answered HTTP {response.status_code}", name=url)
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > max_bytes:
                        raise FileTooLarge(f"The page is larger than {max_bytes} bytes", name=url)
                    chunks: list[bytes] = []
                    received = 0
                    async for chunk in response.aiter_bytes():
                        received += len(chunk)
                        if received > max_bytes:
                            raise FileTooLarge(f"The page is larger than {max_bytes} bytes", name=url)
                        chunks.append(chunk)
                finally:
                    await response.aclose()
        except TimeoutError as error:
            raise LinkFetchError(f"The link did not answer within {timeout_s:g} s", name=url) from error
        except httpx.HTTPError as error:
            raise LinkFetchError(f"The link could not be fetched: {error}", name=url) from error
        content_type = response.headers.get("content-type", "")
        return current, content_type.split(";")[0].strip().lower(), response.charset_encoding, b"".join(chunks)
    raise LinkFetchError(f"More than {hops} redirects", name=url)


def _outermost(matches: list[Tag]) -> list[Tag]:
    """Drop matches nested inside an earlier match (their text is already included); linear."""
    covered: set[int] = set()
    roots: list[Tag] = []
    for match in matches:  # document order: an ancestor comes before its descendants
        if id(match) in covered:
            continue
        roots.append(match)
        covered.update(id(node) for node in match.descendants)
    return roots


def _read_body(url: str, content_type: str, charset: str | None, body: bytes, selector: str | None) -> ReadResult:
    extension = extension_of(urlsplit(url).path)
    is_html = content_type in _HTML_TYPES or (not content_type and extension in ("", "html", "htm"))
    if not is_html:
        guessed = mimetypes.guess_extension(content_type) if content_type else None
        name = urlsplit(url).path.rsplit("/", 1)[-1] or "index"
        if not extension and guessed:
            name += guessed
        result = read_file(name, body, encoding=charset)
        result.title = result.title or url
        result.metadata["url"] = url
        return result
    html, encoding = decode_text(body, declared=charset, name=url)
    soup = parse_html(html)
    title = page_title(soup) or url
    roots = _outermost(soup.select(selector)) if selector else [soup.body or soup]
    if not roots:
        raise LinkFetchError(f"The selector {selector!r} matched nothing on the page", name=url)
    parts = []
    for root in roots:
        for junk in root.select("i, script, style"):
            if junk.name != "i" or not junk.get_text(strip=True):
                junk.decompose()
        for anchor in root.select("a"):
            if not anchor.get_text(strip=True) and not anchor.find(True):
                anchor.decompose()
        parts.append(html_to_markdown(root, base_url=url))
    text = "\n\n".join(p for p in parts if p)
    if not text.strip():
        raise LinkFetchError("No text could be read from the page", name=url)
    return ReadResult(
        text=text,
        format="html",
        title=title,
        encoding=encoding,
        metadata={"url": url, "selector": selector or "body"},
    )

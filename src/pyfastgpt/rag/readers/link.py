"""Fetch a web page (a ``link`` collection) and turn it into markdown.

Safety: only http(s); every hop of a redirect chain is re-checked, at most ``max_redirects`` hops;
the host is resolved and *all* of its addresses must be public unless ``allow_private`` (loopback,
RFC 1918, link-local incl. cloud metadata 169.254.169.254, CGNAT, ULA, multicast, reserved and
IPv4-mapped forms are refused); the body is streamed and cut off at ``max_bytes``. A check made
before connecting cannot stop a DNS answer that changes between the check and httpx's own lookup
(rebinding); deployments that need that guarantee should also egress through a filtering proxy.

HTML is narrowed with the collection's ``webPageSelector`` (CSS, via BeautifulSoup ``select``),
scripts/styles/icons and empty links are removed, relative links become absolute, and the rest is
converted to markdown. Non-HTML bodies (PDF, docx, plain text …) go through the file readers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import mimetypes
import socket
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import httpx
from bs4 import Tag

from pyfastgpt.rag.readers.errors import FileTooLarge, UnreadableFile
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


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_host(url: str, *, allow_private: bool) -> None:
    """Refuse URLs that are not http(s) or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LinkFetchError(f"Only http(s) links can be fetched: {url}", name=url)
    if allow_private:
        return
    host = parts.hostname
    try:
        addresses = {host} if _is_ip(host) else await _resolve(host, parts.port)
    except OSError as error:
        raise LinkFetchError(f"The host {host} could not be resolved", name=url) from error
    blocked = sorted(a for a in addresses if not is_public_address(a))
    if blocked or not addresses:
        raise PrivateAddressRefused(f"Refusing to fetch {host}: it resolves to a private or reserved address", name=url)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


async def _resolve(host: str, port: int | None) -> set[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    return {str(info[4][0]) for info in infos}


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
    http = client or httpx.AsyncClient(timeout=timeout_s, headers={"User-Agent": USER_AGENT})
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
    roots: list[Tag] = soup.select(selector) if selector else [soup.body or soup]
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

"""fetch_link against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore
import httpx
import pytest

from pyfastgpt.rag.readers import FileTooLarge, LinkFetchError, PrivateAddressRefused, fetch_link
from pyfastgpt.rag.readers.guarded_http import PublicOnlyBackend, PublicOnlyTransport, is_public_address
from pyfastgpt.rag.readers.link import check_host
from tests.rag.readers.makers import PdfPage, make_pdf

ARTICLE = """<html><head><title>Release notes 2.4</title><style>body{}</style></head><body>
<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
<article class="content"><h1>Version 2.4</h1>
<p>This release adds <a href="/docs/search">hybrid search</a> and fixes <i class="icon"></i>bugs.</p>
<h2>Upgrade</h2><ul><li>Back up the database</li><li>Run the migration</li></ul>
<table><tr><th>Setting</th><th>Default</th></tr><tr><td>limit</td><td>5000</td></tr></table>
<a href="/empty"></a></article>
<footer>Copyright ACME</footer><script>track()</script></body></html>"""
PDF = make_pdf([PdfPage(["Linked PDF body text."])])


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (timeout tests)

    def do_GET(self) -> None:
        path = self.path
        if path == "/article.html":
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        elif path == "/gbk":
            page = "<html><head><title>中文页面</title></head><body><p>编码为国标码的正文。</p></body></html>"
            self._send(200, page.encode("gbk"), "text/html; charset=gbk")
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/article.html" if left == 0 else f"/chain/{left - 1}"
            self._send(302, b"", "text/plain", {"Location": target})
        elif path == "/to-ftp":
            self._send(301, b"", "text/plain", {"Location": "ftp://example.com/file"})
        elif path == "/report.pdf":
            self._send(200, PDF, "application/pdf")
        elif path == "/notes":
            self._send(200, "纯文本笔记".encode("gbk"), "text/plain; charset=gbk")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 16384 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                return  # the reader stopped at its size cap
        elif path == "/slow":
            time.sleep(2)
            self._send(200, b"<p>late</p>", "text/html")
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


async def test_article_is_read_with_selector_and_title(server: str) -> None:
    result = await fetch_link(f"{server}/article.html", selector="article.content", allow_private=True)
    assert result.title == "Release notes 2.4"
    text = result.text
    assert text.startswith("# Version 2.4")
    assert f"[hybrid search]({server}/docs/search)" in text
    assert "## Upgrade" in text and "- Back up the database\n- Run the migration" in text
    assert "| Setting | Default |\n| --- | --- |\n| limit | 5000 |" in text
    assert "Home" not in text and "Copyright" not in text and "track()" not in text
    assert "/empty" not in text
    assert result.metadata == {"url": f"{server}/article.html", "selector": "article.content"}


async def test_whole_body_without_selector_and_charset_from_header(server: str) -> None:
    result = await fetch_link(f"{server}/article.html", allow_private=True)
    assert "[Home]" in result.text and "Copyright ACME" in result.text
    gbk = await fetch_link(f"{server}/gbk", allow_private=True)
    assert gbk.title == "中文页面"
    assert gbk.text == "编码为国标码的正文。"


async def test_selector_matching_nothing_is_an_error(server: str) -> None:
    with pytest.raises(LinkFetchError):
        await fetch_link(f"{server}/article.html", selector="#missing", allow_private=True)


async def test_redirects_are_followed_up_to_the_limit(server: str) -> None:
    result = await fetch_link(f"{server}/chain/3", allow_private=True, max_redirects=5)
    assert result.metadata["url"] == f"{server}/article.html"
    with pytest.raises(LinkFetchError, match="redirects"):
        await fetch_link(f"{server}/chain/6", allow_private=True, max_redirects=5)


async def test_every_redirect_hop_is_checked(server: str) -> None:
    with pytest.raises(LinkFetchError, match="http"):
        await fetch_link(f"{server}/to-ftp", allow_private=True)


async def test_non_html_bodies_go_through_file_readers(server: str) -> None:
    pdf = await fetch_link(f"{server}/report.pdf", allow_private=True)
    assert pdf.format == "pdf" and pdf.text == "Linked PDF body text."
    notes = await fetch_link(f"{server}/notes", allow_private=True)
    assert notes.text == "纯文本笔记"


async def test_size_cap_while_streaming(server: str) -> None:
    with pytest.raises(FileTooLarge):
        await fetch_link(f"{server}/huge", allow_private=True, max_bytes=100_000)
    with pytest.raises(FileTooLarge):
        await fetch_link(f"{server}/report.pdf", allow_private=True, max_bytes=100)


async def test_errors_and_timeouts(server: str) -> None:
    with pytest.raises(LinkFetchError, match="404"):
        await fetch_link(f"{server}/missing", allow_private=True)
    with pytest.raises(LinkFetchError, match="within"):
        await fetch_link(f"{server}/slow", allow_private=True, timeout_s=0.3)


async def test_loopback_is_refused_unless_allowed(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    for url in (f"{server}/article.html", f"http://localhost:{port}/article.html", f"http://[::1]:{port}/"):
        with pytest.raises(PrivateAddressRefused) as caught:
            await fetch_link(url)
        assert caught.value.data["reason"] == "private_address"


@pytest.mark.parametrize(
    "address",
    [
        *("127.0.0.1", "10.2.3.4", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"),
        *("::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1", "ff02::1"),
    ],
)
def test_non_public_addresses(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert is_public_address(address)


async def test_check_host_on_literals_and_schemes() -> None:
    await check_host("https://93.184.216.34/page", allow_private=False)
    with pytest.raises(PrivateAddressRefused):
        await check_host("http://169.254.169.254/latest/meta-data/", allow_private=False)
    with pytest.raises(LinkFetchError):
        await check_host("file:///etc/passwd", allow_private=True)


async def test_transport_refuses_internal_addresses_at_connect_time(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    async with httpx.AsyncClient(transport=PublicOnlyTransport()) as client:
        for url in (f"{server}/article.html", f"http://localhost:{port}/article.html"):
            with pytest.raises(httpx.ConnectError, match="private or reserved"):
                await client.get(url)


class RecordingBackend(httpcore.AnyIOBackend):
    def __init__(self) -> None:
        self.hosts: list[str] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        self.hosts.append(host)
        raise httpcore.ConnectError("recorded")


async def test_backend_connects_only_to_the_checked_address() -> None:
    inner = RecordingBackend()
    backend = PublicOnlyBackend(inner)
    with pytest.raises(httpcore.ConnectError, match="recorded"):
        await backend.connect_tcp("93.184.216.34", 443)
    assert inner.hosts == ["93.184.216.34"]
    with pytest.raises(httpcore.ConnectError, match="private"):
        await backend.connect_tcp("localhost", 443)
    with pytest.raises(httpcore.ConnectError, match="unix"):
        await backend.connect_unix_socket("/var/run/docker.sock")
    assert inner.hosts == ["93.184.216.34"]

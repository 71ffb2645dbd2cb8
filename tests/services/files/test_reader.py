"""`StoredFileReader`: own signed URLs read from storage; other links fetched safely over HTTP."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest

from pyfastgpt.core.config import Settings
from pyfastgpt.core.errors import NotFound, PermissionDenied
from pyfastgpt.rag.readers import FileTooLarge, LinkFetchError, PrivateAddressRefused, UnsupportedFileType
from pyfastgpt.services.files import StoredFileReader
from pyfastgpt.store.objects import LocalObjectStore, UrlSigner
from pyfastgpt.workflow.ports import FileReader


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    (root / "page.html").write_text(
        "<html><head><title>Page</title></head><body><h1>Refund policy</h1><p>Within 30 days.</p></body></html>"
    )
    (root / "big.txt").write_text("x" * 5000)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def make_reader(tmp_path: Path, **overrides: object) -> tuple[StoredFileReader, LocalObjectStore]:
    settings = Settings(data_dir=tmp_path, **overrides)  # type: ignore[arg-type]
    store = LocalObjectStore(tmp_path / "files", UrlSigner(b"r" * 32))
    return StoredFileReader(store, settings), store


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def test_own_urls_are_read_from_storage(tmp_path: Path) -> None:
    reader, store = make_reader(tmp_path)
    checker: FileReader = reader
    await store.put("chat/a/u/c/r1/合同.docx", docx_bytes("第一条 付款", "Second clause"), "application/x")
    await store.put("chat/a/u/c/r2/table.csv", b"name,qty\nbolt,3\n", "text/csv")
    url = await store.presign_get("chat/a/u/c/r1/合同.docx", expires_s=60, base_url="http://unreachable.invalid")
    text = await checker.read(url)
    assert "第一条 付款" in text and "Second clause" in text
    relative = await store.presign_get("chat/a/u/c/r2/table.csv", expires_s=60)
    table = await reader.read(relative)
    assert "bolt" in table and "qty" in table
    missing = await store.presign_get("chat/a/u/c/r3/gone.txt", expires_s=60)
    with pytest.raises(NotFound):
        await reader.read(missing)


async def test_own_files_over_the_size_cap_are_refused(tmp_path: Path) -> None:
    reader, store = make_reader(tmp_path, upload_max_bytes=10)
    await store.put("chat/a/u/c/r/long.txt", b"y" * 11, "text/plain")
    with pytest.raises(FileTooLarge):
        await reader.read(await store.presign_get("chat/a/u/c/r/long.txt", expires_s=60))


async def test_expired_or_forged_own_urls_are_refused(tmp_path: Path) -> None:
    reader, store = make_reader(tmp_path)
    await store.put("chat/a/u/c/r/secret.txt", b"secret", "text/plain")
    for expired in (
        await store.presign_get("chat/a/u/c/r/secret.txt", expires_s=-1),
        await store.presign_get("chat/a/u/c/r/secret.txt", expires_s=-1, base_url="http://127.0.0.1:9"),
    ):
        with pytest.raises(PermissionDenied, match="expired"):
            await reader.read(expired)
    valid = await store.presign_get("chat/a/u/c/r/secret.txt", expires_s=60)
    with pytest.raises(PermissionDenied):
        await reader.read(valid.replace("secret.txt", "other.txt"))
    with pytest.raises(PermissionDenied):
        await reader.read("/api/system/file/read/chat/../../file_url_secret?e=9999999999&s=x")


async def test_links_are_fetched_with_the_link_rules(tmp_path: Path, site: str) -> None:
    refusing, _ = make_reader(tmp_path)
    with pytest.raises(PrivateAddressRefused):
        await refusing.read(f"{site}/page.html")
    with pytest.raises(LinkFetchError):
        await refusing.read("file:///etc/passwd")
    allowing, _ = make_reader(tmp_path, link_fetch_allow_private=True, link_fetch_max_bytes=1000)
    page = await allowing.read(f"{site}/page.html")
    assert "Refund policy" in page and "Within 30 days." in page
    with pytest.raises(FileTooLarge):
        await allowing.read(f"{site}/big.txt")
    with pytest.raises(LinkFetchError):
        await allowing.read(f"{site}/missing.pdf")


async def test_unknown_formats_are_reported(tmp_path: Path) -> None:
    reader, store = make_reader(tmp_path)
    await store.put("chat/a/u/c/r/tool.exe", b"MZ\x90\x00", "application/octet-stream")
    with pytest.raises(UnsupportedFileType):
        await reader.read(await store.presign_get("chat/a/u/c/r/tool.exe", expires_s=60))

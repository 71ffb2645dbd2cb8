"""`S3ObjectStore` against moto's S3 server on 127.0.0.1: real presigned POST/PUT/GET over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from moto.server import ThreadedMotoServer

from pyfastgpt.core.config import Settings
from pyfastgpt.store.objects import InvalidKey, ObjectMissing, ObjectTooLarge, S3ObjectStore, build_object_store

KEY = "chat/app1/tmb1/chat1/abc/notes 1.md"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
async def store(s3_endpoint: str) -> AsyncIterator[S3ObjectStore]:
    settings = Settings(
        storage_backend="s3",
        s3_endpoint_url=s3_endpoint,
        s3_bucket="pyfastgpt-objects",
        s3_access_key="test",
        s3_secret_key="test",
    )
    built = build_object_store(settings)
    assert isinstance(built, S3ObjectStore)
    try:
        yield built
    finally:
        await built.aclose()


async def test_put_get_stat_delete(store: S3ObjectStore) -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"# Title\n"
        yield b"text"

    info = await store.put(KEY, body(), "text/markdown")
    assert info.size == 12
    assert await store.read(KEY) == b"# Title\ntext"
    stat = await store.stat(KEY)
    assert stat is not None and (stat.size, stat.content_type) == (12, "text/markdown")
    with pytest.raises(ObjectTooLarge):
        await store.read(KEY, max_bytes=5)
    await store.delete(KEY)
    assert not await store.exists(KEY)
    with pytest.raises(ObjectMissing):
        _ = [chunk async for chunk in store.get(KEY)]
    with pytest.raises(InvalidKey):
        await store.put("../escape", b"x", "text/plain")


async def test_presigned_post_form_upload_then_presigned_get(store: S3ObjectStore) -> None:
    upload = await store.presign_upload(KEY, max_size=1024, content_type="text/markdown", expires_s=300)
    assert upload.method == "POST"
    assert upload.url.endswith("/pyfastgpt-objects")  # path-style addressing
    assert upload.fields["key"] == KEY and upload.fields["Content-Type"] == "text/markdown"
    async with httpx.AsyncClient() as client:
        sent = await client.post(upload.url, data=upload.fields, files={"file": ("notes 1.md", b"uploaded!", "x/y")})
        assert sent.status_code in (200, 204), sent.text
        url = await store.presign_get(KEY, expires_s=300)
        assert store.key_from_url(url) == KEY
        got = await client.get(url)
    assert got.status_code == 200 and got.content == b"uploaded!"
    stat = await store.stat(KEY)
    assert stat is not None and stat.content_type == "text/markdown"


async def test_presigned_put_upload(store: S3ObjectStore) -> None:
    key = "chat/app1/tmb1/chat1/def/photo.png"
    upload = await store.presign_upload(key, max_size=1024, content_type="image/png", expires_s=300, method="PUT")
    assert upload.method == "PUT" and upload.headers == {"Content-Type": "image/png"}
    assert "X-Amz-Signature=" in upload.url and "content-type" in upload.url.lower()
    async with httpx.AsyncClient() as client:
        sent = await client.put(upload.url, content=b"\x89PNG\r\n\x1a\nrest", headers=upload.headers)
    assert sent.status_code == 200, sent.text
    assert await store.read(key) == b"\x89PNG\r\n\x1a\nrest"


async def test_read_url_goes_through_s3(store: S3ObjectStore, s3_endpoint: str) -> None:
    key = "chat/app1/tmb1/chat1/ghi/readme.txt"
    await store.put(key, b"read me", "text/plain")
    found = await store.read_url(await store.presign_get(key, expires_s=60), max_bytes=100)
    assert found is not None
    info, data = found
    assert (info.key, info.content_type, data) == (key, "text/plain", b"read me")
    with pytest.raises(ObjectTooLarge):
        await store.read_url(await store.presign_get(key, expires_s=60), max_bytes=3)
    with pytest.raises(ObjectMissing):
        await store.read_url(await store.presign_get(key + ".gone", expires_s=60))
    assert await store.read_url("https://example.com/pyfastgpt-objects/" + key) is None


def test_key_from_url_only_accepts_our_bucket(store: S3ObjectStore, s3_endpoint: str) -> None:
    assert store.key_from_url(f"{s3_endpoint}/pyfastgpt-objects/chat/a/b.txt?X-Amz-Signature=1") == "chat/a/b.txt"
    assert store.key_from_url(f"{s3_endpoint}/other-bucket/chat/a/b.txt") is None
    assert store.key_from_url("http://example.com/pyfastgpt-objects/chat/a/b.txt") is None
    assert store.key_from_url(f"{s3_endpoint}/pyfastgpt-objects/chat/../b.txt") is None

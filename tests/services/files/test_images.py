"""`ImageInliner`: own (unreachable) image URLs become data URLs; anything else is left alone."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from pyfastgpt.ai.protocols import ChatMessage
from pyfastgpt.services.files import ImageInliner
from pyfastgpt.store.objects import LocalObjectStore, S3ObjectStore, UrlSigner

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
KEY = "chat/a/u/c/r/photo.png"


def decoded(data_url: str) -> tuple[str, bytes]:
    header, _, payload = data_url.partition(",")
    return header, base64.b64decode(payload)


async def test_local_urls_are_inlined_others_untouched(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path, UrlSigner(b"i" * 32))
    await store.put(KEY, PNG, "image/png")
    inliner = ImageInliner(store)
    own = await store.presign_get(KEY, expires_s=60, base_url="http://127.0.0.1:3000")
    header, data = decoded(await inliner.data_url(own))
    assert header == "data:image/png;base64" and data == PNG
    external = "https://cdn.example.com/cat.png"
    assert await inliner.data_url(external) == external
    inline = "data:image/png;base64,AAAA"
    assert await inliner.data_url(inline) == inline
    expired = await store.presign_get(KEY, expires_s=-1)
    assert await inliner.data_url(expired) == expired
    missing = await store.presign_get("chat/a/u/c/r/none.png", expires_s=60)
    assert await inliner.data_url(missing) == missing
    small = ImageInliner(store, max_bytes=5)
    assert await small.data_url(own) == own  # too large to inline: the URL stays

    messages = [
        ChatMessage(role="system", content="be brief"),
        ChatMessage(
            role="user",
            content=[
                {"type": "text", "text": "compare"},
                {"type": "image_url", "image_url": {"url": own, "detail": "low"}},
                {"type": "image_url", "image_url": {"url": external}},
            ],
        ),
    ]
    out = await inliner.inline_messages(messages)
    assert out[0] == messages[0]
    parts = out[1].content
    assert isinstance(parts, list)
    assert parts[0] == {"type": "text", "text": "compare"}
    assert parts[1]["image_url"]["detail"] == "low" and decoded(parts[1]["image_url"]["url"])[1] == PNG
    assert parts[2]["image_url"]["url"] == external
    assert isinstance(messages[1].content, list) and messages[1].content[1]["image_url"]["url"] == own  # not mutated


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
async def s3_store(s3_endpoint: str) -> AsyncIterator[S3ObjectStore]:
    store = S3ObjectStore(bucket="inline-test", endpoint_url=s3_endpoint, access_key="k", secret_key="s")
    try:
        yield store
    finally:
        await store.aclose()


async def test_private_s3_endpoint_urls_are_inlined(s3_store: S3ObjectStore) -> None:
    await s3_store.put(KEY, PNG, "image/png")
    url = await s3_store.presign_get(KEY, expires_s=60)
    header, data = decoded(await ImageInliner(s3_store).data_url(url))
    assert header == "data:image/png;base64" and data == PNG

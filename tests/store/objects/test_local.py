"""`LocalObjectStore` on a real directory: round trips, unsafe keys, size caps and signed URLs."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from pyfastgpt.store.objects import (
    InvalidKey,
    LocalObjectStore,
    ObjectMissing,
    ObjectTooLarge,
    SignatureInvalid,
    UrlSigner,
    resolve_secret,
)

KEY = "chat/app1/tmb1/chat1/abc/报告 final.txt"


def flipped(signature: str) -> str:
    """The signature with its first character changed (always a different string)."""
    return ("B" if signature[0] == "A" else "A") + signature[1:]


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "files", UrlSigner(b"s" * 32))


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_streamed_put_get_stat_delete(store: LocalObjectStore) -> None:
    info = await store.put(KEY, chunks(b"hello ", b"world"), "text/plain")
    assert (info.size, info.content_type) == (11, "text/plain")
    assert b"".join([c async for c in store.get(KEY)]) == b"hello world"
    assert await store.read(KEY) == b"hello world"
    assert (await store.stat(KEY)) == info
    assert await store.exists(KEY)
    await store.put(KEY, b"replaced", "text/markdown")
    assert (await store.stat(KEY)).content_type == "text/markdown"  # type: ignore[union-attr]
    await store.delete(KEY)
    assert not await store.exists(KEY)
    assert await store.stat(KEY) is None
    with pytest.raises(ObjectMissing):
        _ = [c async for c in store.get(KEY)]
    with pytest.raises(ObjectMissing):
        await store.read(KEY)


@pytest.mark.parametrize(
    "key",
    ["", "../etc/passwd", "chat/../../x", "/abs/path", "a//b", "a/./b", "a\\..\\b", "a/b\x00c", "a/..", "x" * 501],
)
async def test_unsafe_keys_are_refused(store: LocalObjectStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        await store.put(key, b"x", "text/plain")
    with pytest.raises(InvalidKey):
        await store.presign_get(key, expires_s=60)


async def test_symlink_inside_the_tree_cannot_escape(store: LocalObjectStore, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (store.root / "objects" / "chat").mkdir(parents=True)
    os.symlink(outside, store.root / "objects" / "chat" / "link")
    with pytest.raises(InvalidKey):
        await store.put("chat/link/file.txt", b"x", "text/plain")
    assert list(outside.iterdir()) == []


async def test_size_cap_aborts_without_leaving_files(store: LocalObjectStore) -> None:
    with pytest.raises(ObjectTooLarge):
        await store.put(KEY, chunks(b"12345", b"67890", b"x"), "text/plain", max_bytes=10)
    assert not await store.exists(KEY)
    assert list((store.root / "tmp").iterdir()) == []
    await store.put(KEY, chunks(b"12345", b"67890"), "text/plain", max_bytes=10)
    with pytest.raises(ObjectTooLarge):
        await store.read(KEY, max_bytes=9)


async def test_signed_read_url_round_trip_and_tampering(store: LocalObjectStore) -> None:
    url = await store.presign_get(KEY, expires_s=60, base_url="http://host:3000/")
    assert url.startswith("http://host:3000/api/system/file/read/chat/app1/")
    assert store.key_from_url(url) == KEY
    assert store.key_from_url(url.replace("app1", "app2")) is None
    query = parse_qs(urlsplit(url).query)
    assert store.key_from_url(url.replace(query["s"][0], flipped(query["s"][0]))) is None
    assert store.key_from_url(url.replace(f"e={query['e'][0]}", f"e={int(query['e'][0]) + 1}")) is None
    other = LocalObjectStore(store.root, UrlSigner(b"t" * 32))
    assert other.key_from_url(url) is None
    expired = await store.presign_get(KEY, expires_s=-1)
    assert expired.startswith("/api/system/file/read/")  # no base: a relative URL
    assert store.key_from_url(expired) is None
    q = parse_qs(urlsplit(expired).query)
    with pytest.raises(SignatureInvalid, match="expired"):
        store.verify_get(KEY, q["e"][0], q["s"][0])


async def test_public_base_url_wins_over_the_request(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path, UrlSigner(b"s" * 32), public_base_url="https://files.example.com/")
    url = await store.presign_get(KEY, expires_s=60, base_url="http://127.0.0.1:3000")
    assert url.startswith("https://files.example.com/api/system/file/read/")


async def test_upload_grants_bind_size_and_type(store: LocalObjectStore) -> None:
    put = await store.presign_upload(KEY, max_size=100, content_type="text/plain", expires_s=60)
    assert put.method == "PUT" and put.headers == {"Content-Type": "text/plain"}
    q = {k: v[0] for k, v in parse_qs(urlsplit(put.url).query).items()}
    assert store.verify_upload(KEY, q["e"], q["m"], q["t"], q["s"]) == 100
    for changed in ({"m": "1000"}, {"t": "image/png"}, {"e": str(int(q["e"]) + 5)}):
        grant = {**q, **changed}
        with pytest.raises(SignatureInvalid):
            store.verify_upload(KEY, grant["e"], grant["m"], grant["t"], grant["s"])
    with pytest.raises(SignatureInvalid):
        store.verify_upload(KEY + "x", q["e"], q["m"], q["t"], q["s"])
    post = await store.presign_upload(KEY, max_size=5, content_type="text/csv", expires_s=60, method="POST")
    assert post.method == "POST" and post.url == "/api/system/file/upload"
    f = post.fields
    assert f["key"] == KEY
    assert store.verify_upload(f["key"], f["e"], f["m"], f["Content-Type"], f["s"]) == 5
    late = await store.presign_upload(KEY, max_size=5, content_type="text/csv", expires_s=-5, method="POST")
    with pytest.raises(SignatureInvalid, match="expired"):
        store.verify_upload(KEY, late.fields["e"], "5", "text/csv", late.fields["s"])


def test_secret_is_created_once_and_private(tmp_path: Path) -> None:
    first = resolve_secret("", tmp_path)
    assert len(first) == 64
    assert resolve_secret("", tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "file_url_secret").stat().st_mode)
    assert mode == 0o600
    assert resolve_secret("configured-secret-value", tmp_path) == b"configured-secret-value"
    with pytest.raises(ValueError):
        UrlSigner(b"short")


def test_signatures_expire_by_the_clock() -> None:
    signer = UrlSigner(b"k" * 32)
    now = int(time.time())
    signer.verify(signer.sign("get", "a", now + 10), now + 10, "get", "a", now + 10)
    with pytest.raises(SignatureInvalid):
        signer.verify(signer.sign("get", "a", now - 1), now - 1, "get", "a", now - 1)

"""Chat file uploads over the real server (local storage): presign routes, signed upload/read URLs,
the `files` records, refusals with FastGPT errors, and the SDK's upload flow end to end."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from moto.server import ThreadedMotoServer
from sqlalchemy import select

from fastgpt_client import AsyncChatClient, encode_image_data_url, image_url_part
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ChatItem, StoredFile
from pyfastgpt.store.objects import LocalObjectStore, UrlSigner, resolve_secret
from tests.api.v1.chat.helpers import create_app
from tests.conftest import make_settings
from tests.services.files.live_files import file_app_graph, serve_with_files
from tests.support.live import LiveServer

POST_PATHS = ["/api/core/chat/presignChatFilePostUrl", "/api/core/chat/file/presignChatFilePostUrl"]
GET_PATHS = ["/api/core/chat/presignChatFileGetUrl", "/api/core/chat/file/presignChatFileGetUrl"]
IMG_AND_DOCS = {"canSelectImg": True, "canSelectFile": True, "maxFiles": 5}


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@dataclass
class FilesServer:
    live: LiveServer
    app_id: str
    app_key: str
    plain_app_id: str
    plain_key: str

    def store(self) -> LocalObjectStore:
        settings = self.live.settings
        signer = UrlSigner(resolve_secret(settings.file_url_secret, settings.data_dir))
        return LocalObjectStore(Path(settings.data_dir) / "files", signer)


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def files_server(request: pytest.FixtureRequest) -> Iterator[FilesServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    with serve_with_files(make_settings(backend, cluster), backend=backend) as live:
        app_id, app_key = create_app(live, file_app_graph(IMG_AND_DOCS), name="Files")
        plain_id, plain_key = create_app(live, file_app_graph({}), name="No files")
        yield FilesServer(live, app_id, app_key, plain_id, plain_key)


def presign(client: httpx.Client, path: str, **body: Any) -> httpx.Response:
    return client.post(path, json=body)


async def file_row(server: FilesServer, key: str) -> StoredFile | None:
    db = Database(server.live.settings.resolved_database_url)
    try:
        async with db.read() as session:
            return (await session.execute(select(StoredFile).where(StoredFile.key == key))).scalar_one_or_none()
    finally:
        await db.dispose()


def api(server: FilesServer, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.live.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


BODY = "# 标题\nbody".encode()


@pytest.mark.parametrize("path", POST_PATHS)
async def test_put_upload_preview_and_record(files_server: FilesServer, path: str) -> None:
    app_id = files_server.app_id
    async with api(files_server, files_server.app_key) as client:
        answer = await client.post(path, json={"appId": app_id, "chatId": "chat-1", "filename": "会议 notes.md"})
        assert answer.status_code == 200, answer.text
        data = answer.json()["data"]
        assert set(data) == {"url", "key", "method", "maxSize", "previewUrl", "headers"}
        assert data["method"] == "PUT" and data["headers"] == {"Content-Type": "text/markdown"}
        assert data["key"].startswith(f"chat/{app_id}/") and data["key"].endswith("/会议 notes.md")
        assert data["maxSize"] == files_server.live.settings.max_body_bytes
        pending = await file_row(files_server, data["key"])
        assert pending is not None and pending.meta["status"] == "pending" and pending.size == 0
        put = await client.put(data["url"], content=BODY, headers=data["headers"])
        assert put.status_code == 200, put.text
        preview = await client.get(data["previewUrl"])
        assert preview.status_code == 200 and preview.content == BODY
        assert preview.headers["content-type"].startswith("text/markdown")
        assert preview.headers["content-security-policy"] == "sandbox"
        for get_path in GET_PATHS:
            fresh = (await client.post(get_path, json={"appId": app_id, "key": data["key"]})).json()["data"]
            assert (await client.get(fresh)).content == BODY
        by_query = await client.get(GET_PATHS[1], params={"appId": app_id, "key": data["key"]})
        assert by_query.status_code == 200 and by_query.json()["data"].startswith(files_server.live.base_url)
    row = await file_row(files_server, data["key"])
    assert row is not None
    assert (row.bucket, row.name, row.content_type, row.size) == ("chat", "会议 notes.md", "text/markdown", len(BODY))
    assert row.meta["status"] == "uploaded" and row.meta["appId"] == app_id


async def test_post_form_upload(files_server: FilesServer) -> None:
    store = files_server.store()
    key = f"chat/{files_server.app_id}/t/c/form/table.csv"
    grant = await store.presign_upload(
        key, max_size=100, content_type="text/csv", expires_s=60, method="POST", base_url=files_server.live.base_url
    )
    async with httpx.AsyncClient() as http:
        sent = await http.post(grant.url, data=grant.fields, files={"file": ("table.csv", b"a,b\n1,2\n", "x/y")})
        assert sent.status_code == 200, sent.text
        assert sent.json()["data"] == {"key": key, "size": 8}
        forged = {**grant.fields, "m": "100000"}
        refused = await http.post(grant.url, data=forged, files={"file": ("table.csv", b"x", "text/csv")})
        expect_error(refused, 403, "unAuthFile")
        expect_error(await http.post(grant.url, data=grant.fields), 400, "missingParams")
    assert await store.read(key) == b"a,b\n1,2\n"
    stat = await store.stat(key)
    assert stat is not None and stat.content_type == "text/csv"


def expect_error(response: httpx.Response, status: int, key: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["statusText"] == key and body["code"] != 200 and body["message"]


def test_presign_refusals(files_server: FilesServer) -> None:
    live = files_server.live
    body = {"appId": files_server.app_id, "chatId": "c"}
    with live.client(files_server.app_key) as client:
        expect_error(presign(client, POST_PATHS[0], **body, filename="../../etc/passwd"), 400, "invalidParams")
        expect_error(presign(client, POST_PATHS[0], **body, filename="a\\b.png"), 400, "invalidParams")
        expect_error(presign(client, POST_PATHS[0], **body, filename="tool.exe"), 400, "unsupportedFileType")
        expect_error(presign(client, POST_PATHS[0], **body, filename="README"), 400, "unsupportedFileType")
        expect_error(presign(client, POST_PATHS[0], appId=files_server.app_id, filename="a.png"), 400, "invalidParams")
        other = {"appId": files_server.plain_app_id, "chatId": "c", "filename": "a.png"}
        expect_error(presign(client, POST_PATHS[1], **other), 403, "unAuthApp")
        unknown = {"appId": "0" * 24, "chatId": "c", "filename": "a.png"}
        expect_error(presign(client, POST_PATHS[0], **unknown), 404, "appUnExist")
        expect_error(
            client.post(GET_PATHS[0], json={"appId": files_server.app_id, "key": "chat/x/y"}), 404, "fileNotFound"
        )
    with live.client(files_server.plain_key) as client:
        plain = {"appId": files_server.plain_app_id, "chatId": "c", "filename": "a.png"}
        # the app allows no uploads, and an app-bound key cannot bring its own fileSelectConfig
        expect_error(presign(client, POST_PATHS[0], **plain), 403, "unAuthFile")
        config = {"canSelectImg": True}
        expect_error(presign(client, POST_PATHS[0], **plain, fileSelectConfig=config), 403, "unAuthFile")
    with live.root as client:
        allowed = presign(client, POST_PATHS[0], **plain, fileSelectConfig={"canSelectImg": True})
        assert allowed.status_code == 200  # a manager may (FastGPT: write permission on the app)
        key = allowed.json()["data"]["key"]
        expect_error(client.post(GET_PATHS[0], json={"appId": files_server.app_id, "key": key}), 403, "unAuthChat")
    expect_error(httpx.post(live.base_url + POST_PATHS[0], json={**plain}), 401, "unAuthorization")


def test_upload_frequency_follows_max_files(files_server: FilesServer) -> None:
    app_id, key = create_app(files_server.live, file_app_graph({"canSelectFile": True, "maxFiles": 2}), name="Two")
    with files_server.live.client(key) as client:
        for _ in range(2):
            ok = presign(client, POST_PATHS[0], appId=app_id, chatId="busy", filename="a.txt")
            assert ok.status_code == 200
        expect_error(
            presign(client, POST_PATHS[0], appId=app_id, chatId="busy", filename="a.txt"), 429, "tooManyRequest"
        )
        assert presign(client, POST_PATHS[0], appId=app_id, chatId="other", filename="a.txt").status_code == 200


async def test_bad_uploads_and_reads(files_server: FilesServer) -> None:
    live = files_server.live
    store = files_server.store()
    app_id = files_server.app_id
    async with api(files_server, files_server.app_key) as client:
        body = {"appId": app_id, "chatId": "bad"}
        grant = (await client.post(POST_PATHS[0], json={**body, "filename": "a.txt"})).json()["data"]
        image = (await client.post(POST_PATHS[0], json={**body, "filename": "p.png"})).json()["data"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(grant["url"]).query).items()}
    base = grant["url"].split("?", 1)[0]
    http = httpx.AsyncClient(timeout=30)

    async def put(url: str, content: Any, content_type: str = "text/plain") -> httpx.Response:
        return await http.put(url, content=content, headers={"Content-Type": content_type})

    async def stream() -> AsyncIterator[bytes]:  # no Content-Length: the limit holds while streaming
        yield b"x" * 8
        yield b"x" * 8

    async with http:
        tampered = {**query, "s": ("B" if query["s"][0] == "A" else "A") + query["s"][1:]}
        expect_error(await put(f"{base}?{urlencode(tampered)}", b"x"), 403, "unAuthFile")
        bigger = {**query, "m": str(int(query["m"]) * 2)}
        expect_error(await put(f"{base}?{urlencode(bigger)}", b"x"), 403, "unAuthFile")
        expect_error(await put(grant["url"], b"x", "text/html"), 415, "unsupportedFileType")
        expect_error(await put(image["url"], b"GIF89a not a png", "image/png"), 415, "unsupportedFileType")
        assert not await store.exists(image["key"])

        expired = await store.presign_upload(
            grant["key"], max_size=100, content_type="text/plain", expires_s=-1, base_url=live.base_url
        )
        expect_error(await put(expired.url, b"x"), 403, "unAuthFile")
        small = await store.presign_upload(
            grant["key"], max_size=10, content_type="text/plain", expires_s=60, base_url=live.base_url
        )
        expect_error(await put(small.url, b"x" * 11), 413, "invalidParams")
        expect_error(await put(small.url, stream()), 413, "invalidParams")
        assert not await store.exists(grant["key"])
        assert (await put(small.url, b"0123456789")).status_code == 200

        read = await store.presign_get(grant["key"], expires_s=60, base_url=live.base_url)
        assert (await http.get(read)).content == b"0123456789"
        expect_error(await http.get(read.replace("/bad/", "/bbd/")), 403, "unAuthFile")
        gone = await store.presign_get(grant["key"] + "-missing", expires_s=60, base_url=live.base_url)
        expect_error(await http.get(gone), 404, "fileNotFound")
        late = await store.presign_get(grant["key"], expires_s=-1, base_url=live.base_url)
        expect_error(await http.get(late), 403, "unAuthFile")
        traversal = f"{live.base_url}/api/system/file/read/chat/..%2F..%2Fcredentials.json?e=9999999999&s=x"
        expect_error(await http.get(traversal), 400, "invalidParams")


async def test_sdk_image_upload_mode_end_to_end(files_server: FilesServer) -> None:
    live = files_server.live
    png = tiny_png()
    messages = [{"role": "user", "content": [{"type": "text", "text": "what is this"}, image_url_part(
        encode_image_data_url(png, "image/png"))]}]  # fmt: skip
    async with AsyncChatClient(files_server.app_key, base_url=live.base_url, max_retries=1) as client:
        response = await client.create_chat_completion(
            messages=messages, chatId="sdk-chat", image_input_mode="upload", appId=files_server.app_id
        )
        assert response.status_code == 200 and response.json()["choices"][0]["message"]["content"].strip() == "got it"
        doc = await client.upload_chat_file(
            appId=files_server.app_id, chatId="sdk-chat", file_path=b"plain words", filename="words.txt"
        )
    async with httpx.AsyncClient() as http:
        assert (await http.get(doc["url"])).content == b"plain words"
    assert doc["key"].endswith("/words.txt") and doc["type"] == "doc"
    db = Database(live.settings.resolved_database_url)
    try:
        async with db.read() as session:
            human = (
                await session.execute(
                    select(ChatItem).where(
                        ChatItem.app_id == files_server.app_id, ChatItem.chat_id == "sdk-chat", ChatItem.obj == "Human"
                    )
                )
            ).scalar_one()
    finally:
        await db.dispose()
    images = [part["file"] for part in human.value if part.get("type") == "file"]
    assert len(images) == 1 and images[0]["type"] == "image"
    url = images[0]["url"]
    assert url.startswith(f"{live.base_url}/api/system/file/read/chat/{files_server.app_id}/"), url
    async with httpx.AsyncClient() as http:
        assert (await http.get(url)).content == png  # uploaded, not sent inline


@pytest.fixture(scope="module")
def s3_files_server() -> Iterator[FilesServer]:
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    settings = make_settings(
        "sqlite",
        None,
        storage_backend="s3",
        s3_endpoint_url=f"http://{host}:{port}",
        s3_bucket="chat-files",
        s3_access_key="test",
        s3_secret_key="test",
    )
    try:
        with serve_with_files(settings, backend="sqlite") as live:
            app_id, app_key = create_app(live, file_app_graph(IMG_AND_DOCS), name="Files")
            plain_id, plain_key = create_app(live, file_app_graph({}), name="No files")
            yield FilesServer(live, app_id, app_key, plain_id, plain_key)
    finally:
        moto.stop()


async def test_s3_backend_sdk_upload_and_read_url(s3_files_server: FilesServer) -> None:
    server = s3_files_server
    endpoint = server.live.settings.s3_endpoint_url
    async with AsyncChatClient(server.app_key, base_url=server.live.base_url, max_retries=1) as client:
        presigned = await client.presign_chat_file_post_url(appId=server.app_id, chatId="s3-chat", filename="a.csv")
        assert presigned["method"] == "POST" and presigned["url"] == f"{endpoint}/chat-files"
        assert presigned["fields"]["key"] == presigned["key"] and "policy" in presigned["fields"]
        assert "headers" not in presigned
        doc = await client.upload_chat_file(
            appId=server.app_id, chatId="s3-chat", file_path=b"k,v\n1,2\n", filename="table.csv"
        )
        assert doc["url"].startswith(f"{endpoint}/chat-files/chat/{server.app_id}/")
        fresh = await client.presign_chat_file_get_url(appId=server.app_id, key=doc["key"])
    async with httpx.AsyncClient() as http:
        assert (await http.get(doc["url"])).content == b"k,v\n1,2\n"
        assert (await http.get(fresh)).content == b"k,v\n1,2\n"
        not_here = await http.get(f"{server.live.base_url}/api/system/file/read/{doc['key']}?e=1&s=x")
        expect_error(not_here, 404, "fileNotFound")
    row = await file_row(server, doc["key"])
    assert row is not None and row.meta["status"] == "uploaded" and row.size == 8  # seen by presignGet


async def test_share_link_visitors_upload_and_read_their_own_files(files_server: FilesServer) -> None:
    live = files_server.live
    with live.root as root:
        share_id = root.post("/api/support/outLink/create", json={"appId": files_server.app_id}).json()["data"]
    visitor = {"shareId": share_id, "outLinkUid": "visitor-1"}
    async with httpx.AsyncClient(base_url=live.base_url, timeout=30) as anonymous:
        body = {"appId": files_server.app_id, "chatId": "shared", "filename": "pic.png", "outLinkAuthData": visitor}
        answer = await anonymous.post(POST_PATHS[1], json=body)
        assert answer.status_code == 200, answer.text
        data = answer.json()["data"]
        assert data["key"].startswith(f"chat/{files_server.app_id}/visitor-1/shared/")
        assert (await anonymous.put(data["url"], content=tiny_png(), headers=data["headers"])).status_code == 200
        mine = {"appId": files_server.app_id, "key": data["key"], "outLinkAuthData": visitor}
        url = (await anonymous.post(GET_PATHS[0], json=mine)).json()["data"]
        assert (await anonymous.get(url)).content == tiny_png()
        query = {"appId": files_server.app_id, "key": data["key"], **visitor}
        assert (await anonymous.get(GET_PATHS[0], params=query)).status_code == 200
        other = {**mine, "outLinkAuthData": {**visitor, "outLinkUid": "visitor-2"}}
        expect_error(await anonymous.post(GET_PATHS[0], json=other), 403, "unAuthChat")
        wrong_app = {**body, "appId": files_server.plain_app_id}
        expect_error(await anonymous.post(POST_PATHS[0], json=wrong_app), 403, "unAuthLink")
        no_credential = {k: v for k, v in body.items() if k != "outLinkAuthData"}
        expect_error(await anonymous.post(POST_PATHS[0], json=no_credential), 401, "unAuthorization")
        unknown = await anonymous.post(POST_PATHS[0], json={**body, "outLinkAuthData": {**visitor, "shareId": "nope"}})
        assert unknown.status_code in (403, 404) and unknown.json()["code"] != 200
    row = await file_row(files_server, data["key"])
    assert row is not None and row.meta["uid"] == "visitor-1" and row.meta["status"] == "uploaded"

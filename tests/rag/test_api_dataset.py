"""The API-dataset client against a local server that speaks the contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pyfastgpt.core.errors import UpstreamError
from pyfastgpt.rag.api_dataset import ApiDatasetClient, ApiServer
from pyfastgpt.rag.readers.link import PrivateAddressRefused
from tests.rag.api_dataset_server import TOKEN, ApiDatasetServer, FileNode, api_dataset_server


@pytest.fixture(scope="module")
def files() -> Iterator[ApiDatasetServer]:
    with api_dataset_server() as server:
        server.add(FileNode("docs", "Docs", None, type="folder"))
        server.add(FileNode("a", "a.md", "docs", content="# A\n\nalpha text", title="Alpha"))
        server.add(
            FileNode("b", "b.html", None, preview_html="<html><body><h1>Beta</h1><p>beta page</p></body></html>")
        )
        yield server


def client(files: ApiDatasetServer, token: str = TOKEN, base_path: str = "") -> ApiDatasetClient:
    return ApiDatasetClient(ApiServer(files.base_url, token, base_path), allow_private=True)


def test_server_config_from_wire() -> None:
    nested = ApiServer.from_wire({"apiServer": {"baseUrl": "http://x", "authorization": "t", "basePath": "p"}})
    assert nested == ApiServer("http://x", "t", "p")
    assert ApiServer.from_wire({"baseUrl": "http://y"}) == ApiServer("http://y")
    assert ApiServer.from_wire({"apiServer": {"baseUrl": ""}}) is None and ApiServer.from_wire(None) is None


async def test_list_content_read_detail(files: ApiDatasetServer) -> None:
    api = client(files)
    top = await api.list_files()
    assert {(f.id, f.type, f.has_child) for f in top} == {("docs", "folder", True), ("b", "file", False)}
    assert files.requests[-1][:2] == ("POST", "/v1/file/list") and files.requests[-1][3] == f"Bearer {TOKEN}"
    assert [f.id for f in await api.list_files(parent_id="docs")] == ["a"]
    assert files.requests[-1][2] == {"parentId": "docs"}  # searchKey left out when not given

    content = await api.file_content("a")
    assert content.title == "Alpha" and content.raw_text == "# A\n\nalpha text"
    preview = await api.file_content("b")  # previewUrl: downloaded and read like a link
    assert preview.title is None and "beta page" in preview.raw_text and "Beta" in preview.raw_text
    assert await api.preview_url("a") == f"{files.base_url}/preview/a"
    detail = await api.file_detail("a")
    assert (detail.id, detail.name, detail.parent_id, detail.type) == ("a", "a.md", "docs", "file")


async def test_base_path_is_the_default_parent(files: ApiDatasetServer) -> None:
    assert [f.id for f in await client(files, base_path="docs").list_files()] == ["a"]


async def test_failures(files: ApiDatasetServer) -> None:
    with pytest.raises(UpstreamError, match="bad token"):
        await client(files, token="wrong").list_files()
    with pytest.raises(UpstreamError, match="no such file"):
        await client(files).file_content("missing")
    with pytest.raises(UpstreamError):
        await ApiDatasetClient(ApiServer("http://127.0.0.1:9/"), allow_private=True, timeout_s=2).list_files()
    # the link-fetch policy: a private address is refused unless allowed
    with pytest.raises(PrivateAddressRefused):
        await ApiDatasetClient(ApiServer(files.base_url, TOKEN)).list_files()

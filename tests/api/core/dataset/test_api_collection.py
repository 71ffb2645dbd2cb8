"""`collection/create/apiCollection` and `apiCollectionV2`: files of an API dataset, read from a local
server that speaks FastGPT's contract, go through the ordinary ingest (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pyfastgpt.store.db import Database
from pyfastgpt.store.models import DatasetCollection
from tests.api.core.dataset.conftest import FAKE_EMBEDDING, models_config
from tests.api.core.dataset.helpers import all_data, call, foreign_key, wait_trained
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM
from tests.rag.api_dataset_server import TOKEN, ApiDatasetServer, FileNode, api_dataset_server
from tests.support.live import LiveServer, serve

V1 = "/api/core/dataset/collection/create/apiCollection"
V2 = "/api/core/dataset/collection/create/apiCollectionV2"


@pytest.fixture(scope="module")
def files() -> Iterator[ApiDatasetServer]:
    with api_dataset_server() as server:
        server.add(FileNode("guide", "guide.md", None, content="# Guide\n\nInstall with pip.", title="User guide"))
        server.add(FileNode("faq", "faq.html", None, preview_html="<html><body><p>Ask anything.</p></body></html>"))
        server.add(FileNode("folder", "Handbook", None, type="folder"))
        server.add(FileNode("ch1", "chapter1.md", "folder", content="Chapter one text."))
        server.add(FileNode("sub", "Appendix", "folder", type="folder"))
        server.add(FileNode("ch2", "appendix.md", "sub", content="Appendix text."))
        yield server


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def api_server(
    request: pytest.FixtureRequest, fake_llm: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    config = models_config(tmp_path_factory.mktemp(f"api-models-{backend}"), fake_llm)
    settings = make_settings(
        backend, cluster, fake_llm, training_workers=1, models_config=config, link_fetch_allow_private=True
    )
    with serve(settings, backend=backend, fake_llm=fake_llm) as live:
        yield live


def in_db(server: LiveServer, work: Callable[[Session], Any]) -> Any:
    """`work(session)` run as one read unit on a fresh connection to the server's database."""

    async def run() -> Any:
        db = Database(server.settings.resolved_database_url)
        try:
            return await db.run_read_session(work)
        finally:
            await db.dispose()

    return asyncio.run(run())


def api_dataset(server: LiveServer, client: httpx.Client, files: ApiDatasetServer, **server_fields: Any) -> str:
    """An `apiDataset` created over the API with its file server (`apiDatasetServer`)."""
    config = {"apiServer": {"baseUrl": files.base_url, "authorization": TOKEN, "basePath": "", **server_fields}}
    dataset_id: str = call(
        client,
        "POST",
        "/api/core/dataset/create",
        json={"name": "api", "type": "apiDataset", "vectorModel": FAKE_EMBEDDING, "apiDatasetServer": config},
    )
    return dataset_id


def collections(server: LiveServer, dataset_id: str) -> list[DatasetCollection]:
    def work(session: Session) -> list[DatasetCollection]:
        query = select(DatasetCollection).where(DatasetCollection.dataset_id == dataset_id)
        return list(session.execute(query.order_by(DatasetCollection.name)).scalars())

    result: list[DatasetCollection] = in_db(server, work)
    return result


def test_the_file_server_is_stored_and_its_credential_never_shown(
    api_server: LiveServer, files: ApiDatasetServer
) -> None:
    with api_server.root as root:
        dataset_id = api_dataset(api_server, root, files)
        detail = call(root, "GET", f"/api/core/dataset/detail?id={dataset_id}")
        assert detail["apiDatasetServer"]["apiServer"] == {
            "baseUrl": files.base_url,
            "authorization": "",
            "basePath": "",
        }
        # an update without the authorization keeps the stored one: the import still authenticates
        changed = {"apiServer": {"baseUrl": files.base_url, "authorization": "", "basePath": "/"}}
        call(root, "PUT", "/api/core/dataset/update", json={"id": dataset_id, "apiDatasetServer": changed})
        assert (
            call(root, "GET", f"/api/core/dataset/detail?id={dataset_id}")["apiDatasetServer"]["apiServer"]["basePath"]
            == "/"
        )
        call(root, "POST", V1, json={"datasetId": dataset_id, "apiFileId": "guide"})
        missing = root.post("/api/core/dataset/create", json={"name": "x", "type": "apiDataset"})
        assert missing.status_code == 400 and "baseUrl" in missing.json()["message"]


def test_v1_imports_one_file(api_server: LiveServer, files: ApiDatasetServer) -> None:
    with api_server.root as root:
        dataset_id = api_dataset(api_server, root, files)
        result = call(root, "POST", V1, json={"datasetId": dataset_id, "apiFileId": "guide", "name": "ignored"})
        assert set(result) == {"collectionId", "results"} and result["results"]["insertLen"] >= 1
        detail = call(root, "GET", "/api/core/dataset/collection/detail", params={"id": result["collectionId"]})
        assert detail["name"] == "User guide" and detail["type"] == "apiFile"  # the server's title wins
        wait_trained(root, dataset_id)
        assert "Install with pip." in " ".join(item["q"] for item in all_data(root, result["collectionId"]))
        assert files.requests[-1][3] == f"Bearer {TOKEN}"

        # previewUrl content, named by the request when the server gives no title
        faq = call(root, "POST", V1, json={"datasetId": dataset_id, "apiFileId": "faq", "name": "FAQ"})
        wait_trained(root, dataset_id)
        assert "Ask anything." in all_data(root, faq["collectionId"])[0]["q"]
        stored = {c.api_file_id: c for c in collections(api_server, dataset_id)}
        assert set(stored) == {"guide", "faq"} and stored["faq"].name == "FAQ"
        assert stored["guide"].meta["relatedImgId"] == "guide"

        # the same file again: refused, nothing created
        again = call(root, "POST", V1, status=409, json={"datasetId": dataset_id, "apiFileId": "guide"})
        assert again["statusText"] == "sameApiCollection"
        assert len(collections(api_server, dataset_id)) == 2
        # a file the server does not have, and a dataset without a server
        missing = call(root, "POST", V1, status=502, json={"datasetId": dataset_id, "apiFileId": "nope"})
        assert "no such file" in missing["message"]
        plain = call(root, "POST", "/api/core/dataset/create", json={"name": "plain", "vectorModel": FAKE_EMBEDDING})
        call(root, "POST", V1, status=400, json={"datasetId": plain, "apiFileId": "guide"})
        call(root, "POST", V1, status=400, json={"datasetId": dataset_id})


def test_v2_imports_a_selection_and_walks_folders(api_server: LiveServer, files: ApiDatasetServer) -> None:
    with api_server.root as root:
        dataset_id = api_dataset(api_server, root, files)
        call(root, "POST", V1, json={"datasetId": dataset_id, "apiFileId": "guide"})
        selection = [
            {"id": "guide", "name": "guide.md", "type": "file"},  # already imported: skipped
            {"id": "folder", "name": "Handbook", "type": "folder", "hasChild": True},
        ]
        assert call(root, "POST", V2, json={"datasetId": dataset_id, "apiFiles": selection}) is None
        wait_trained(root, dataset_id)
        stored = {c.api_file_id: c for c in collections(api_server, dataset_id)}
        assert set(stored) == {"guide", "folder", "ch1", "ch2"}
        assert stored["folder"].type == "folder" and stored["folder"].name == "Handbook"
        assert stored["ch1"].type == "apiFile" and stored["ch2"].name == "appendix.md"
        assert "Appendix text." in all_data(root, stored["ch2"].id)[0]["q"]
        # a second run imports nothing new
        call(root, "POST", V2, json={"datasetId": dataset_id, "apiFiles": selection})
        assert len(collections(api_server, dataset_id)) == 4
        call(root, "POST", V2, status=400, json={"datasetId": dataset_id, "apiFiles": []})


def test_access(api_server: LiveServer, files: ApiDatasetServer) -> None:
    with api_server.root as root:
        dataset_id = api_dataset(api_server, root, files)
    stranger = foreign_key(api_server)
    with api_server.client(stranger) as client:
        assert (
            call(client, "POST", V1, status=403, json={"datasetId": dataset_id, "apiFileId": "guide"})["statusText"]
            == "unAuthDataset"
        )
        call(client, "POST", V2, status=403, json={"datasetId": dataset_id, "apiFiles": [{"id": "guide"}]})
    with api_server.client(api_server.app_key) as client:  # an app-bound key manages no dataset
        call(client, "POST", V1, status=403, json={"datasetId": dataset_id, "apiFileId": "guide"})
    with api_server.client() as anonymous:
        assert anonymous.post(V1, json={"datasetId": dataset_id, "apiFileId": "guide"}).status_code == 401
    with api_server.root as root:
        call(root, "POST", V1, status=404, json={"datasetId": "0" * 24, "apiFileId": "guide"})
    assert collections(api_server, dataset_id) == []

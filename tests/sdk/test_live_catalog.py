"""``models``, ``datasets.training`` (retry/delete/rebuild), app folders, the legacy collection list and
the ``list_all`` helpers of datasets, versions and logs, against the real server (``live_server``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from fastgpt_client import AsyncFastGPTClient, BadRequestError, FastGPTClient, NotFoundError


@pytest.fixture
def admin(live: Any) -> Iterator[FastGPTClient]:
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as client:
        yield client


def drain(client: FastGPTClient, dataset_id: str, limit_s: float = 120.0) -> None:
    deadline = time.monotonic() + limit_s
    while True:
        queue = client.datasets.training.queue(dataset_id)
        if not queue.get("trainingCount") and not queue.get("rebuildingCount"):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"training queue never drained: {queue}")
        time.sleep(0.2)


async def test_models_list_page_and_list_all(live: Any) -> None:
    async with AsyncFastGPTClient(api_key=live.app_key, base_url=live.base_url) as client:
        models = await client.models.list()
        assert models and all("model" in item and "type" in item for item in models)
        embeddings = await client.models.list(type="embedding")
        assert embeddings and {item["type"] for item in embeddings} == {"embedding"}
        page = await client.models.list_page(page_num=1, page_size=1)
        assert page["total"] == len(models) and len(page["list"]) == 1
        paged = [item["model"] async for item in client.models.list_all(page_size=2)]
        assert paged == [item["model"] for item in models]


def test_training_retry_delete_and_rebuild(admin: FastGPTClient) -> None:
    dataset_id = admin.datasets.create("sdk training")
    try:
        collection = admin.datasets.collections.create(dataset_id, "manual")
        admin.datasets.data.push_data(collection, [{"q": f"fact {index}", "a": "x"} for index in range(3)])
        drain(admin, dataset_id)
        assert list(admin.datasets.training.errors_all(collection)) == []
        admin.datasets.training.update(dataset_id, collection)  # retry every failed job: none
        with pytest.raises(NotFoundError):
            admin.datasets.training.delete(dataset_id, collection, "no-such-job")
        with pytest.raises(BadRequestError):
            admin.datasets.training.rebuild_embedding(dataset_id, "no-such-model")
        vector_model = admin.datasets.detail(dataset_id)["vectorModel"]
        model_id = vector_model["model"] if isinstance(vector_model, dict) else str(vector_model)
        admin.datasets.training.rebuild_embedding(dataset_id, model_id)
        drain(admin, dataset_id)
        result = admin.datasets.search_test(dataset_id, "fact 1", search_mode="embedding")
        assert any(item["q"] == "fact 1" for item in result["list"])
    finally:
        admin.datasets.delete(dataset_id)


def test_collections_and_data_paging(admin: FastGPTClient) -> None:
    dataset_id = admin.datasets.create("sdk paging")
    try:
        ids = [admin.datasets.collections.create(dataset_id, f"c{index}") for index in range(5)]
        legacy = admin.datasets.collections.list_legacy(dataset_id, page_num=2, page_size=2)
        assert (legacy["pageNum"], legacy["pageSize"], legacy["total"], len(legacy["data"])) == (2, 2, 5, 2)
        via_legacy = [item["_id"] for item in admin.datasets.collections.list_legacy_all(dataset_id, page_size=2)]
        via_v2 = [item["_id"] for item in admin.datasets.collections.list_all(dataset_id, page_size=2)]
        assert sorted(via_legacy) == sorted(via_v2) == sorted(ids) and via_legacy == via_v2

        admin.datasets.data.push_data(ids[0], [{"q": f"q{index:03d}", "a": "a"} for index in range(130)])
        drain(admin, dataset_id)
        # 150 a page is asked for; the server caps pages at 100 and the helper follows the items it got
        chunks = [item["q"] for item in admin.datasets.data.list_all(ids[0], page_size=150)]
        assert len(chunks) == 130 and len(set(chunks)) == 130
    finally:
        admin.datasets.delete(dataset_id)


def test_app_folders_versions_and_logs_paging(live: Any, admin: FastGPTClient) -> None:
    folder = admin.apps.create_folder("sdk folder", intro="made by the SDK")
    try:
        apps = admin.apps.list()
        mine = next(item for item in apps if item["_id"] == folder)
        assert mine["type"] == "folder" and mine["name"] == "sdk folder"
    finally:
        admin.apps.delete(folder)

    versions = list(admin.apps.versions.list_all(live.app_id, page_size=1))
    page = admin.apps.versions.list(live.app_id, page_size=100)
    assert [item["_id"] for item in versions] == [item["_id"] for item in page["list"]] and versions

    with FastGPTClient(api_key=live.app_key, base_url=live.base_url) as chat:
        for index in range(3):
            chat.chat.completions.create(messages=[{"role": "user", "content": f"log me {index}"}])
    logs = list(admin.analytics.list_logs_all(live.app_id, page_size=2))
    total = admin.analytics.list_logs(live.app_id)["total"]
    assert len(logs) == total >= 3 and len({item["chatId"] for item in logs}) == total

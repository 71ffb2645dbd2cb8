"""Collections: empty/folder, text, link, local file; list (v2 and legacy), detail, update, delete."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.api.core.dataset.helpers import all_data, call, create_dataset, foreign_key, wait_trained
from tests.support.live import LiveServer

LONG_TEXT = "\n\n".join(
    f"## Section {n}\n\n" + f"Paragraph {n} explains topic {n} in detail. " * 12 + f"第{n}节讨论主题{n}的细节。" * 6
    for n in range(12)
)


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    """A local web page for link collections (reachable only when private fetches are allowed)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><head><title>Local page</title></head><body><h1>Hi</h1><p>local text</p></body></html>"
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/page"
    httpd.shutdown()
    httpd.server_close()


def test_text_collection_trains_to_completion(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "text kb")
        created = call(client, "POST", "/api/core/dataset/collection/create/text",
                       json={"datasetId": dataset_id, "name": "guide", "text": LONG_TEXT, "tags": ["t1"]})  # fmt: skip
        inserted = created["results"]["insertLen"]
        assert inserted > 3 and created["results"] == {
            "insertLen": inserted,
            "overToken": [],
            "repeat": [],
            "error": [],
        }
        collection_id = created["collectionId"]
        wait_trained(client, dataset_id)

        items = all_data(client, collection_id)
        assert len(items) == inserted
        assert [item["chunkIndex"] for item in items] == list(range(inserted))
        assert all(item["collectionId"] == collection_id and item["datasetId"] == dataset_id for item in items)
        assert "Section 0" in items[0]["q"] and "Section 11" in items[-1]["q"]

        detail = call(client, "GET", "/api/core/dataset/collection/detail", params={"id": collection_id})
        assert detail["name"] == "guide" and detail["sourceName"] == "guide" and detail["dataAmount"] == inserted
        assert detail["datasetId"]["_id"] == dataset_id and detail["rawTextLength"] == len(LONG_TEXT)
        assert detail["trainingType"] == "chunk" and detail["chunkSize"] == 1000 and detail["tags"] == ["t1"]

        page = call(client, "POST", "/api/core/dataset/collection/listV2", json={"datasetId": dataset_id})
        assert page["total"] == 1
        assert page["list"][0]["dataAmount"] == inserted and page["list"][0]["trainingAmount"] == 0
        assert page["list"][0]["hasError"] is False
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def _counted_rows(server: LiveServer, dataset_id: str) -> dict[str, tuple[int, int]]:
    """Per collection of the dataset: (`data_amount`, its `dataset_datas` rows counted now)."""
    from sqlalchemy import text

    from pyfastgpt.store.db import Database

    async def read() -> dict[str, tuple[int, int]]:
        db = Database(server.settings.resolved_database_url)
        try:
            rows = await db.run_read(lambda conn: conn.execute(text(
                "SELECT c.id, c.data_amount, (SELECT count(*) FROM dataset_datas d WHERE d.collection_id = c.id) "
                "FROM dataset_collections c WHERE c.dataset_id = :d"), {"d": dataset_id}).all())  # fmt: skip
        finally:
            await db.dispose()
        return {row[0]: (int(row[1]), int(row[2])) for row in rows}

    return asyncio.run(read())


def test_data_amount_is_counted_as_chunks_are_written_and_deleted(kb_server: LiveServer) -> None:
    """`dataAmount` (list and detail) and the data list's `total` read the maintained count: it equals the
    collection's rows after training, pushData into it, re-indexing one item and deleting others."""
    with kb_server.root as client:
        dataset_id = create_dataset(client, "counted kb")
        first = call(client, "POST", "/api/core/dataset/collection/create/text",
                     json={"datasetId": dataset_id, "name": "first", "text": LONG_TEXT})["collectionId"]  # fmt: skip
        second = call(client, "POST", "/api/core/dataset/collection/create",
                      json={"datasetId": dataset_id, "name": "second", "type": "virtual"})  # fmt: skip
        call(client, "POST", "/api/core/dataset/data/pushData",
             json={"collectionId": second, "data": [{"q": f"pushed {n}", "a": "x"} for n in range(7)]})  # fmt: skip
        wait_trained(client, dataset_id)
        items = all_data(client, second)
        call(client, "PUT", "/api/core/dataset/data/update", json={"dataId": items[0]["_id"], "q": "changed"})
        for item in items[1:3]:
            call(client, "DELETE", "/api/core/dataset/data/delete", params={"id": item["_id"]})
        wait_trained(client, dataset_id)
        counted = _counted_rows(kb_server, dataset_id)
        assert all(amount == rows for amount, rows in counted.values()), counted
        assert counted[second] == (5, 5) and counted[first][0] > 1
        listed = call(client, "POST", "/api/core/dataset/collection/listV2", json={"datasetId": dataset_id})["list"]
        assert {c["_id"]: c["dataAmount"] for c in listed} == {cid: rows for cid, (_, rows) in counted.items()}
        detail = call(client, "GET", "/api/core/dataset/collection/detail", params={"id": second})
        page = call(client, "POST", "/api/core/dataset/data/v2/list", json={"collectionId": second, "pageSize": 2})
        assert detail["dataAmount"] == 5 and page["total"] == 5 and len(page["list"]) == 2
        searched = call(client, "POST", "/api/core/dataset/data/v2/list",
                        json={"collectionId": second, "searchText": "pushed 6"})  # fmt: skip
        assert searched["total"] == 1


def test_collection_folders_list_update_delete(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "tree kb")
        folder = call(client, "POST", "/api/core/dataset/collection/create",
                      json={"datasetId": dataset_id, "name": "folder", "type": "folder"})  # fmt: skip
        inner = call(client, "POST", "/api/core/dataset/collection/create",
                     json={"datasetId": dataset_id, "name": "inner", "parentId": folder})  # fmt: skip
        names = [f"doc {n}" for n in range(5)]
        for name in names:
            call(client, "POST", "/api/core/dataset/collection/create/text",
                 json={"datasetId": dataset_id, "name": name, "text": f"{name} text"})  # fmt: skip
        top = call(client, "POST", "/api/core/dataset/collection/listV2",
                   json={"datasetId": dataset_id, "offset": 0, "pageSize": 4})  # fmt: skip
        assert top["total"] == 6 and len(top["list"]) == 4
        rest = call(client, "POST", "/api/core/dataset/collection/listV2",
                    json={"datasetId": dataset_id, "offset": 4, "pageSize": 4})  # fmt: skip
        assert {c["_id"] for c in top["list"]}.isdisjoint({c["_id"] for c in rest["list"]}) and len(rest["list"]) == 2
        legacy = call(client, "POST", "/api/core/dataset/collection/list",
                      json={"datasetId": dataset_id, "pageNum": 2, "pageSize": 4})  # fmt: skip
        assert legacy["pageNum"] == 2 and legacy["total"] == 6 and len(legacy["data"]) == 2
        children = call(client, "POST", "/api/core/dataset/collection/listV2",
                        json={"datasetId": dataset_id, "parentId": folder})  # fmt: skip
        assert [c["_id"] for c in children["list"]] == [inner]
        found = call(
            client, "POST", "/api/core/dataset/collection/listV2", json={"datasetId": dataset_id, "searchText": "doc 3"}
        )
        assert [c["name"] for c in found["list"]] == ["doc 3"]

        call(client, "POST", "/api/core/dataset/collection/update",
             json={"id": inner, "name": "renamed", "tags": ["x"], "forbid": True, "parentId": None})  # fmt: skip
        detail = call(client, "GET", "/api/core/dataset/collection/detail", params={"id": inner})
        assert (detail["name"], detail["tags"], detail["forbid"], detail["parentId"]) == ("renamed", ["x"], True, None)
        tagged = call(
            client, "POST", "/api/core/dataset/collection/listV2", json={"datasetId": dataset_id, "filterTags": ["x"]}
        )
        assert [c["_id"] for c in tagged["list"]] == [inner]
        call(client, "POST", "/api/core/dataset/collection/update", 400, json={"id": folder, "parentId": folder})
        call(client, "POST", "/api/core/dataset/collection/update", 400, json={"id": inner, "parentId": inner})

        wait_trained(client, dataset_id)
        ids = [c["_id"] for c in call(client, "POST", "/api/core/dataset/collection/listV2",
                                      json={"datasetId": dataset_id, "pageSize": 30})["list"]]  # fmt: skip
        call(client, "DELETE", "/api/core/dataset/collection/delete", params={"id": folder})
        call(
            client,
            "DELETE",
            "/api/core/dataset/collection/delete",
            json={"collectionIds": [i for i in ids if i != folder]},
        )
        assert call(client, "POST", "/api/core/dataset/collection/listV2", json={"datasetId": dataset_id})["total"] == 0
        call(client, "GET", "/api/core/dataset/collection/detail", 404, params={"id": inner})
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_local_file_upload(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "files kb")
        text = ("Uploads are split into chunks. " * 80 + "\n\n") * 5
        params = {"datasetId": dataset_id, "chunkSettingMode": "custom", "chunkSize": 500, "indexPrefixTitle": True}
        created = call(client, "POST", "/api/core/dataset/collection/create/localFile",
                       files={"file": ("guide.md", text.encode(), "text/markdown")}, data={"data": json.dumps(params)})  # fmt: skip
        assert created["results"]["insertLen"] >= 4
        detail = call(client, "GET", "/api/core/dataset/collection/detail", params={"id": created["collectionId"]})
        assert detail["name"] == "guide.md" and detail["type"] == "file" and detail["chunkSize"] == 500
        assert detail["hashRawText"] and detail["metadata"]["fileSize"] == len(text.encode())
        wait_trained(client, dataset_id)
        item = all_data(client, created["collectionId"])[0]
        indexes = call(client, "GET", "/api/core/dataset/data/detail", params={"id": item["_id"]})["indexes"]
        assert indexes and all(index["text"].startswith("# guide.md\n") for index in indexes)

        for name, payload in (("empty.txt", b""), ("binary.txt", bytes(range(256)) * 40), ("tool.exe", b"MZ\x90\x00")):
            body = call(client, "POST", "/api/core/dataset/collection/create/localFile", 400,
                        files={"file": (name, payload)}, data={"data": json.dumps({"datasetId": dataset_id})})  # fmt: skip
            assert body["statusText"] in ("unsupportedFileType", "invalidParams"), body
        call(client, "POST", "/api/core/dataset/collection/create/localFile", 400, data={"data": "{}"})
        call(client, "POST", "/api/core/dataset/collection/create/localFile", 400,
             files={"file": ("a.txt", b"hello")}, data={"data": "{broken"})  # fmt: skip
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_link_collection_refuses_loopback(kb_server: LiveServer, page_server: str) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "links kb")
        refused = call(client, "POST", "/api/core/dataset/collection/create/link", 400,
                       json={"datasetId": dataset_id, "link": page_server})  # fmt: skip
        assert refused["data"]["reason"] == "private_address"
        call(client, "POST", "/api/core/dataset/collection/create/link", 400,
             json={"datasetId": dataset_id, "link": "file:///etc/passwd"})  # fmt: skip
        listed = call(client, "POST", "/api/core/dataset/collection/listV2", json={"datasetId": dataset_id})
        assert listed["total"] == 0
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_collection_bad_input_and_foreign_team(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "guarded kb")
        folder_ds = create_dataset(client, "ds folder", type="folder")
        collection_id = call(client, "POST", "/api/core/dataset/collection/create",
                             json={"datasetId": dataset_id, "name": "manual"})  # fmt: skip
        call(
            client,
            "POST",
            "/api/core/dataset/collection/create/text",
            400,
            json={"datasetId": dataset_id, "name": "e", "text": "  "},
        )
        call(
            client,
            "POST",
            "/api/core/dataset/collection/create/text",
            400,
            json={"datasetId": folder_ds, "name": "e", "text": "x"},
        )
        call(
            client, "POST", "/api/core/dataset/collection/create/text", 400, json={"datasetId": dataset_id, "text": "x"}
        )
        call(
            client,
            "POST",
            "/api/core/dataset/collection/create",
            400,
            json={"datasetId": dataset_id, "name": "x", "type": "link"},
        )
        call(client, "POST", "/api/core/dataset/collection/create", 404, json={"datasetId": "0" * 24, "name": "x"})
        call(client, "GET", "/api/core/dataset/collection/detail", 404, params={"id": "0" * 24})
        call(client, "DELETE", "/api/core/dataset/collection/delete", 400, json={"collectionIds": []})
    with kb_server.client(foreign_key(kb_server)) as other:
        call(other, "GET", "/api/core/dataset/collection/detail", 403, params={"id": collection_id})
        call(other, "POST", "/api/core/dataset/collection/listV2", 403, json={"datasetId": dataset_id})
        call(other, "DELETE", "/api/core/dataset/collection/delete", 403, params={"id": collection_id})
        call(
            other,
            "POST",
            "/api/core/dataset/collection/create/text",
            403,
            json={"datasetId": dataset_id, "name": "n", "text": "x"},
        )
    with kb_server.client(kb_server.app_key) as app_client:
        call(app_client, "GET", "/api/core/dataset/collection/detail", 403, params={"id": collection_id})
    with kb_server.root as client:
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": folder_ds})

"""Data items: pushData (limits, empty q, modes, indexes), insertData, list, detail, update, delete."""

from __future__ import annotations

from tests.api.core.dataset.helpers import all_data, call, create_dataset, foreign_key, store_counts, wait_trained
from tests.support.live import LiveServer


def manual_collection(client: object, dataset_id: str, name: str = "manual") -> str:
    return str(call(client, "POST", "/api/core/dataset/collection/create",  # type: ignore[arg-type]
                    json={"datasetId": dataset_id, "name": name}))  # fmt: skip


def test_push_data_trains_every_item_once(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "push kb")
        collection_id = manual_collection(client, dataset_id)
        too_many = [{"q": f"q{n}"} for n in range(201)]
        body = call(
            client,
            "POST",
            "/api/core/dataset/data/pushData",
            400,
            json={"collectionId": collection_id, "data": too_many},
        )
        assert body["statusText"] == "invalidParams"
        items = [{"q": f"fact {n}", "a": f"answer {n}", "chunkIndex": n} for n in range(150)]
        items[3] = {"q": "", "a": "no question"}
        items[7] = {"q": "   "}
        items[9] = {"q": "with custom index", "a": "x", "chunkIndex": 9,
                    "indexes": [{"type": "custom", "text": "a hand-written index"}]}  # fmt: skip
        result = call(client, "POST", "/api/core/dataset/data/pushData",
                      json={"collectionId": collection_id, "trainingType": "chunk", "data": items})  # fmt: skip
        assert result["insertLen"] == 148 and [e["index"] for e in result["error"]] == [3, 7]
        assert result["overToken"] == [] and result["repeat"] == []
        legacy = call(client, "POST", "/api/core/dataset/data/pushData",
                      json={"collectionId": collection_id, "mode": "chunk", "data": [{"q": "legacy mode", "chunkIndex": 500}]})  # fmt: skip
        assert legacy["insertLen"] == 1
        wait_trained(client, dataset_id)

        stored = all_data(client, collection_id)
        assert len(stored) == 149 and len({item["q"] for item in stored}) == 149
        counts = store_counts(kb_server, dataset_id)
        assert counts["data"] == 149 and counts["texts"] == 149 and counts["jobs"] == 0
        assert counts["vectors"] == counts["indexes"] >= 149 + 149 and counts["orphan_vectors"] == 0
        custom = next(item for item in stored if item["q"] == "with custom index")
        indexes = call(client, "GET", "/api/core/dataset/data/detail", params={"id": custom["_id"]})["indexes"]
        assert {(i["type"], i["text"]) for i in indexes} >= {
            ("custom", "a hand-written index"),
            ("default", "with custom index"),
        }
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})
        gone = store_counts(kb_server, dataset_id)
        assert gone["data"] == gone["vectors"] == gone["texts"] == gone["indexes"] == 0


def test_insert_update_delete_data(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "crud kb")
        collection_id = manual_collection(client, dataset_id)
        data_id = call(client, "POST", "/api/core/dataset/data/insertData",
                       json={"collectionId": collection_id, "q": "What colour is the sky?", "a": "Blue",
                             "indexes": [{"text": "sky colour"}]})  # fmt: skip
        detail = call(client, "GET", "/api/core/dataset/data/detail", params={"id": data_id})
        assert (detail["q"], detail["a"], detail["sourceName"], detail["collectionId"]) == (
            "What colour is the sky?", "Blue", "manual", collection_id)  # fmt: skip
        before = {i["type"]: i for i in detail["indexes"] if i["type"] == "custom"}
        default_before = [i for i in detail["indexes"] if i["type"] == "default"]
        assert before["custom"]["text"] == "sky colour" and len(default_before) == 2

        call(client, "PUT", "/api/core/dataset/data/update", json={"dataId": data_id, "a": "Blue on a clear day"})
        after = call(client, "GET", "/api/core/dataset/data/detail", params={"id": data_id})
        assert after["a"] == "Blue on a clear day" and after["history"][0]["a"] == "Blue"
        kept = {i["text"]: i["dataId"] for i in after["indexes"]}
        assert kept["sky colour"] == before["custom"]["dataId"]  # unchanged texts keep their vector row
        assert kept["What colour is the sky?"] == default_before[0]["dataId"]
        assert "Blue on a clear day" in kept and "Blue" not in kept

        call(client, "PUT", "/api/core/dataset/data/update", json={"dataId": data_id, "indexes": []})
        trimmed = call(client, "GET", "/api/core/dataset/data/detail", params={"id": data_id})["indexes"]
        assert [i["type"] for i in trimmed] == ["default", "default"]
        counts = store_counts(kb_server, dataset_id)
        assert counts["vectors"] == counts["indexes"] == 2 and counts["orphan_vectors"] == 0

        call(client, "PUT", "/api/core/dataset/data/update", 400, json={"dataId": data_id, "q": ""})
        call(client, "POST", "/api/core/dataset/data/insertData", 400, json={"collectionId": collection_id, "q": " "})
        assert call(client, "DELETE", "/api/core/dataset/data/delete", params={"id": data_id}) == "success"
        call(client, "GET", "/api/core/dataset/data/detail", 404, params={"id": data_id})
        call(client, "PUT", "/api/core/dataset/data/update", 404, json={"dataId": data_id, "q": "x"})
        assert store_counts(kb_server, dataset_id)["vectors"] == 0
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_data_list_search_and_access(kb_server: LiveServer) -> None:
    with kb_server.root as client:
        dataset_id = create_dataset(client, "list kb")
        collection_id = manual_collection(client, dataset_id)
        call(client, "POST", "/api/core/dataset/data/pushData",
             json={"collectionId": collection_id, "data": [{"q": f"item {n}", "a": "apple" if n % 2 else "pear", "chunkIndex": n} for n in range(40)]})  # fmt: skip
        wait_trained(client, dataset_id)
        page = call(
            client,
            "POST",
            "/api/core/dataset/data/v2/list",
            json={"collectionId": collection_id, "offset": 30, "pageSize": 30},
        )
        assert page["total"] == 40 and [i["q"] for i in page["list"]] == [f"item {n}" for n in range(30, 40)]
        apples = call(
            client,
            "POST",
            "/api/core/dataset/data/v2/list",
            json={"collectionId": collection_id, "searchText": "apple", "pageSize": 30},
        )
        assert apples["total"] == 20
        data_id = page["list"][0]["_id"]
        call(client, "POST", "/api/core/dataset/data/v2/list", 404, json={"collectionId": "0" * 24})
        folder = call(
            client,
            "POST",
            "/api/core/dataset/collection/create",
            json={"datasetId": dataset_id, "name": "f", "type": "folder"},
        )
        call(
            client, "POST", "/api/core/dataset/data/pushData", 400, json={"collectionId": folder, "data": [{"q": "x"}]}
        )
        call(
            client,
            "POST",
            "/api/core/dataset/data/pushData",
            400,
            json={"collectionId": collection_id, "trainingType": "image", "data": [{"q": "x"}]},
        )
        call(
            client, "POST", "/api/core/dataset/data/pushData", 400, json={"collectionId": collection_id, "data": "nope"}
        )
    with kb_server.client(foreign_key(kb_server)) as other:
        call(other, "GET", "/api/core/dataset/data/detail", 403, params={"id": data_id})
        call(other, "DELETE", "/api/core/dataset/data/delete", 403, params={"id": data_id})
        call(
            other,
            "POST",
            "/api/core/dataset/data/pushData",
            403,
            json={"collectionId": collection_id, "data": [{"q": "x"}]},
        )
        call(other, "POST", "/api/core/dataset/data/v2/list", 403, json={"collectionId": collection_id})
    with kb_server.client(kb_server.app_key) as app_client:
        call(
            app_client, "POST", "/api/core/dataset/data/insertData", 403, json={"collectionId": collection_id, "q": "x"}
        )
    with kb_server.root as client:
        call(client, "DELETE", "/api/core/dataset/delete", params={"id": dataset_id})


def test_knowledge_base_text_over_the_limit_is_refused_naming_the_field(kb_server: LiveServer) -> None:
    """Every character of q/a is embedded now: text past MAX_DATA_TEXT is a 400, not a minute of embedding."""
    with kb_server.root as client:
        dataset_id = create_dataset(client, "limits kb")
        collection_id = manual_collection(client, dataset_id)
        huge = "x" * 20_001
        for path, body in (
            ("/api/core/dataset/data/insertData", {"collectionId": collection_id, "q": huge}),
            ("/api/core/dataset/data/insertData", {"collectionId": collection_id, "q": "ok", "a": huge}),
            ("/api/core/dataset/data/pushData", {"collectionId": collection_id, "data": [{"q": huge}]}),
            ("/api/core/dataset/searchTest", {"datasetId": "x", "text": "y" * 5_001}),
        ):
            error = call(client, "POST", path, status=400, json=body)
            assert error["statusText"] == "invalidParams" and "at most" in error["message"], error
        assert store_counts(kb_server, dataset_id)["data"] == 0  # nothing half-stored

"""`/openapi.json` describes FastGPT's response shapes: no route answers a bare open object as `data`."""

from __future__ import annotations

from typing import Any

from tests.support.live import LiveServer

# The routes that used to declare `Envelope[dict[str, Any]]`, with wire names their `data` must name.
TYPED: dict[tuple[str, str], set[str]] = {
    ("post", "/api/v2/chat/stop"): {"stopped"},
    ("post", "/api/core/app/version/list"): {"list", "total"},
    ("get", "/api/core/app/version/latest"): {"nodes", "edges", "chatConfig"},
    ("get", "/api/core/app/version/detail"): {"_id", "versionName", "isPublish", "nodes", "edges", "chatConfig"},
    ("get", "/api/core/app/detail"): {"_id", "teamId", "tmbId", "modules", "edges", "chatConfig", "permission"},
    ("post", "/api/core/chat/record/getCollectionQuote"): {"list", "hasMorePrev", "hasMoreNext", "fileName"},
    ("get", "/api/core/dataset/detail"): {"_id", "vectorModel", "agentModel", "permission"},
    ("post", "/api/core/dataset/collection/create/apiCollection"): {"collectionId", "results"},
    ("post", "/api/core/dataset/training/getTrainingError"): {"list", "total"},
    ("post", "/api/core/dataset/collection/create/text"): {"collectionId", "results"},
    ("post", "/api/core/dataset/collection/create/link"): {"collectionId", "results"},
    ("post", "/api/core/dataset/collection/create/localFile"): {"collectionId", "results"},
    ("post", "/api/core/dataset/collection/listV2"): {"list", "total"},
    ("post", "/api/core/dataset/collection/list"): {"pageNum", "pageSize", "data", "total"},
    ("get", "/api/core/dataset/collection/detail"): {"_id", "datasetId", "name", "metadata"},
    ("post", "/api/core/dataset/data/pushData"): {"insertLen", "overToken", "repeat", "error"},
    ("post", "/api/core/dataset/data/v2/list"): {"list", "total"},
    ("get", "/api/core/dataset/data/detail"): {"_id", "q", "a", "indexes", "history", "isOwner"},
}
EMPTY = [("post", "/api/support/mcp/create"), ("put", "/api/support/mcp/update"), ("delete", "/api/support/mcp/delete")]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def data_schema(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    response = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    return resolve(spec, resolve(spec, response)["properties"]["data"])


def is_bare_object(schema: dict[str, Any]) -> bool:
    return (
        schema.get("type") == "object"
        and not schema.get("properties")
        and schema.get("additionalProperties", True) is True
    )


def test_typed_routes_name_their_data_fields(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as client:
        spec = client.get("/openapi.json").json()
    for (method, path), names in TYPED.items():
        data = data_schema(spec, method, path)
        assert not is_bare_object(data), f"{method} {path}"
        assert names <= set(data.get("properties", {})), f"{method} {path}: {sorted(data.get('properties', {}))}"
    for method, path in EMPTY:
        data = data_schema(spec, method, path)
        assert data.get("properties") == {} and data.get("additionalProperties") is False, f"{method} {path}"
    # nested shapes are typed too: an item of the collection list names its fields
    item = resolve(
        spec, data_schema(spec, "post", "/api/core/dataset/collection/listV2")["properties"]["list"]["items"]
    )
    assert {"_id", "datasetId", "type", "name", "tags", "forbid"} <= set(item["properties"])


def test_no_route_answers_a_bare_object(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as client:
        spec = client.get("/openapi.json").json()
    bare = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
            envelope = resolve(spec, content["schema"]) if content and content.get("schema") else {}
            if "data" in envelope.get("properties", {}) and is_bare_object(
                resolve(spec, envelope["properties"]["data"])
            ):
                bare.append(f"{method} {path}")
    assert bare == []

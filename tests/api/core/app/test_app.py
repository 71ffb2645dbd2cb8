from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pyfastgpt.services.demo_app import demo_workflow
from tests.support.live import LiveServer

ANSWER_APP = {
    "nodes": [
        {
            "nodeId": "workflowStartNodeId",
            "name": "Start",
            "flowNodeType": "workflowStart",
            "position": {"x": 0, "y": 0},
            "inputs": [{"key": "userChatInput", "renderTypeList": ["reference"], "valueType": "string", "label": "q"}],
            "outputs": [{"id": "userChatInput", "key": "userChatInput", "type": "static", "valueType": "string"}],
            "customField": {"kept": ["verbatim", 1, None]},
        },
        {
            "nodeId": "answer1",
            "name": "Answer",
            "flowNodeType": "answerNode",
            "position": {"x": 300, "y": 0},
            "inputs": [{"key": "text", "renderTypeList": ["textarea"], "valueType": "any", "value": "Hi {{name}}"}],
            "outputs": [],
        },
    ],
    "edges": [
        {
            "source": "workflowStartNodeId",
            "target": "answer1",
            "sourceHandle": "workflowStartNodeId-source-right",
            "targetHandle": "answer1-target-left",
        }
    ],
    "chatConfig": {"welcomeText": "hello", "variables": [{"key": "name", "label": "Name", "type": "input"}]},
}


def create(server: LiveServer, **body: Any) -> str:
    with server.root as client:
        response = client.post("/api/core/app/create", json={"name": "App", "type": "advanced", **body})
    assert response.status_code == 200, response.text
    envelope = response.json()
    assert envelope["code"] == 200 and envelope["statusText"] == "" and envelope["message"] == ""
    app_id: str = envelope["data"]
    assert len(app_id) == 24
    return app_id


def test_create_detail_roundtrips_workflow_verbatim(server: LiveServer) -> None:
    app_id = create(server, name="Answer", **copy.deepcopy(ANSWER_APP))
    with server.root as client:
        detail = client.get("/api/core/app/detail", params={"appId": app_id}).json()["data"]
        latest = client.get("/api/core/app/version/latest", params={"appId": app_id}).json()["data"]
    assert detail["_id"] == app_id
    assert detail["name"] == "Answer"
    assert detail["type"] == "advanced"
    assert detail["version"] == "v2"
    assert detail["modules"] == ANSWER_APP["nodes"]
    assert detail["edges"] == ANSWER_APP["edges"]
    assert detail["chatConfig"] == ANSWER_APP["chatConfig"]
    assert detail["permission"]["hasWritePer"] is True
    assert latest == {
        "nodes": ANSWER_APP["nodes"],
        "edges": ANSWER_APP["edges"],
        "chatConfig": ANSWER_APP["chatConfig"],
    }


def test_list_folders_search_and_types(server: LiveServer) -> None:
    with server.root as client:
        folder_id = client.post("/api/core/app/folder/create", json={"name": "Folder A"}).json()["data"]
        inner = create(server, name="Inner unique-kiwi", parentId=folder_id)
        top = client.post("/api/core/app/list", json={}).json()["data"]
        top_ids = {a["_id"] for a in top}
        assert folder_id in top_ids and inner not in top_ids
        in_folder = client.post("/api/core/app/list", json={"parentId": folder_id}).json()["data"]
        assert [a["_id"] for a in in_folder] == [inner]
        item = in_folder[0]
        for key in ("_id", "parentId", "tmbId", "name", "avatar", "intro", "type", "updateTime", "permission"):
            assert key in item
        assert item["parentId"] == folder_id
        found = client.post("/api/core/app/list", json={"searchKey": "unique-kiwi"}).json()["data"]
        assert [a["_id"] for a in found] == [inner]
        folders = client.post("/api/core/app/list", json={"type": "folder"}).json()["data"]
        assert all(a["type"] == "folder" for a in folders) and folder_id in {a["_id"] for a in folders}


def _with_user_select(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    select_node = {"nodeId": "select1", "name": "Pick", "flowNodeType": "userSelect", "position": {"x": 600, "y": 0},
                   "inputs": [], "outputs": []}  # fmt: skip
    return [*copy.deepcopy(nodes), select_node]


def test_list_marks_interactive_apps_as_their_workflow_changes(server: LiveServer) -> None:
    """`hasInteractiveNode` follows the draft workflow: created, updated, saved as a version; the list reads it
    without reading any workflow."""
    plain = create(server, name="Plain", **copy.deepcopy(ANSWER_APP))
    asking = create(server, name="Asking", nodes=_with_user_select(ANSWER_APP["nodes"]), edges=ANSWER_APP["edges"])

    def flags() -> dict[str, bool]:
        with server.root as client:
            listed = client.post("/api/core/app/list", json={}).json()["data"]
        return {item["_id"]: item["hasInteractiveNode"] for item in listed if item["_id"] in (plain, asking)}

    assert flags() == {plain: False, asking: True}
    with server.root as client:
        client.put(
            "/api/core/app/update", params={"appId": plain}, json={"nodes": _with_user_select(ANSWER_APP["nodes"])}
        )
        client.put("/api/core/app/update", params={"appId": asking}, json={"name": "Renamed only"})
    assert flags() == {plain: True, asking: True}
    with server.root as client:
        saved = client.post(
            "/api/core/app/version/publish",
            params={"appId": asking},
            json={"nodes": ANSWER_APP["nodes"], "edges": ANSWER_APP["edges"], "chatConfig": {}, "isPublish": True},
        )
        assert saved.status_code == 200, saved.text
    assert flags() == {plain: True, asking: False}


def test_update_changes_draft_not_published(server: LiveServer) -> None:
    app_id = create(server, **copy.deepcopy(ANSWER_APP))
    new_nodes = copy.deepcopy(ANSWER_APP["nodes"])
    new_nodes[1]["inputs"][0]["value"] = "changed"
    with server.root as client:
        response = client.put(
            "/api/core/app/update", params={"appId": app_id}, json={"name": "Renamed", "intro": "x", "nodes": new_nodes}
        )
        assert response.json() == {"code": 200, "statusText": "", "message": "", "data": None}
        detail = client.get("/api/core/app/detail", params={"appId": app_id}).json()["data"]
        latest = client.get("/api/core/app/version/latest", params={"appId": app_id}).json()["data"]
    assert detail["name"] == "Renamed" and detail["intro"] == "x"
    assert detail["modules"][1]["inputs"][0]["value"] == "changed"
    assert latest["nodes"][1]["inputs"][0]["value"] == "Hi {{name}}"


def test_copy_and_delete_folder_cascades(server: LiveServer) -> None:
    with server.root as client:
        folder_id = client.post("/api/core/app/folder/create", json={"name": "To delete"}).json()["data"]
        child = create(server, name="child", parentId=folder_id)
        copied = client.post("/api/core/app/copy", json={"appId": child}).json()["data"]["appId"]
        assert copied != child
        copy_detail = client.get("/api/core/app/detail", params={"appId": copied}).json()["data"]
        assert copy_detail["name"] == "child Copy" and copy_detail["parentId"] == folder_id
        deleted = client.delete("/api/core/app/del", params={"appId": folder_id}).json()["data"]
        assert sorted(deleted) == sorted([child, copied])
        gone = client.get("/api/core/app/detail", params={"appId": child})
    assert gone.status_code == 404
    assert gone.json()["statusText"] == "appUnExist"
    assert gone.json()["code"] == 502000


def test_fastgpt_export_fixture_imports_unchanged(server: LiveServer) -> None:
    exported = demo_workflow("some-model")
    app_id = create(server, name="Imported", type="simple", **exported)
    with server.root as client:
        latest = client.get("/api/core/app/version/latest", params={"appId": app_id}).json()["data"]
    assert json.dumps(latest, sort_keys=True) == json.dumps(exported, sort_keys=True)


def test_legacy_modules_field_is_accepted(server: LiveServer, tmp_path: Path) -> None:
    app_id = create(server, name="Legacy", modules=copy.deepcopy(ANSWER_APP["nodes"]), edges=ANSWER_APP["edges"])
    with server.root as client:
        detail = client.get("/api/core/app/detail", params={"appId": app_id}).json()["data"]
    assert detail["modules"] == ANSWER_APP["nodes"]

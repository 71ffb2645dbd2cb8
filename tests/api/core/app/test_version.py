from __future__ import annotations

import copy

from tests.api.core.app.test_app import ANSWER_APP, create
from tests.support.live import LiveServer


def test_publish_list_detail_latest(server: LiveServer) -> None:
    app_id = create(server, **copy.deepcopy(ANSWER_APP))
    v2_nodes = copy.deepcopy(ANSWER_APP["nodes"])
    v2_nodes[1]["inputs"][0]["value"] = "version two"
    with server.root as client:
        published = client.post(
            "/api/core/app/version/publish",
            params={"appId": app_id},
            json={
                "nodes": v2_nodes,
                "edges": ANSWER_APP["edges"],
                "chatConfig": {},
                "isPublish": True,
                "versionName": "v2",
            },
        )
        assert published.json()["data"] is None
        draft_only = copy.deepcopy(v2_nodes)
        draft_only[1]["inputs"][0]["value"] = "unpublished"
        client.post(
            "/api/core/app/version/publish",
            params={"appId": app_id},
            json={"nodes": draft_only, "edges": ANSWER_APP["edges"], "chatConfig": {}, "isPublish": False},
        )
        client.post(
            "/api/core/app/version/publish",
            params={"appId": app_id},
            json={"nodes": draft_only, "edges": ANSWER_APP["edges"], "chatConfig": {}, "autoSave": True},
        )
        latest = client.get("/api/core/app/version/latest", params={"appId": app_id}).json()["data"]
        assert latest["nodes"][1]["inputs"][0]["value"] == "version two"
        listing = client.post("/api/core/app/version/list", json={"appId": app_id, "offset": 0, "pageSize": 10}).json()
        data = listing["data"]
        assert data["total"] == 3  # initial + published + unpublished (auto-save writes no version)
        names = [v["versionName"] for v in data["list"]]
        assert names[1] == "v2" and names[2] == "Initial version"
        assert [v["isPublish"] for v in data["list"]] == [False, True, True]
        only_published = client.post(
            "/api/core/app/version/list", json={"appId": app_id, "pageSize": 10, "isPublish": True}
        ).json()["data"]
        assert only_published["total"] == 2
        page2 = client.post("/api/core/app/version/list", json={"appId": app_id, "pageNum": 2, "pageSize": 2}).json()
        assert len(page2["data"]["list"]) == 1
        version_id = data["list"][1]["_id"]
        detail = client.get("/api/core/app/version/detail", params={"appId": app_id, "versionId": version_id}).json()[
            "data"
        ]
        assert detail["nodes"] == v2_nodes and detail["versionName"] == "v2"
        app_detail = client.get("/api/core/app/detail", params={"appId": app_id}).json()["data"]
        assert app_detail["modules"][1]["inputs"][0]["value"] == "unpublished"


def test_version_detail_of_other_app_is_refused(server: LiveServer) -> None:
    first = create(server, **copy.deepcopy(ANSWER_APP))
    second = create(server, **copy.deepcopy(ANSWER_APP))
    with server.root as client:
        version_id = client.post("/api/core/app/version/list", json={"appId": first}).json()["data"]["list"][0]["_id"]
        response = client.get("/api/core/app/version/detail", params={"appId": second, "versionId": version_id})
    assert response.status_code == 404

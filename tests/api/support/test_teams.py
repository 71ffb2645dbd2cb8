"""Teams, members and team keys over `/api/support/user/team/*`, on SQLite and PostgreSQL.

A root key sets up a tenant (team + first owner + the owner's key); owners and admins manage their
members; removing a member revokes its keys at once; nobody reaches another team's apps,
datasets, chats, keys or members.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.core.chat.support import data_of, refused
from tests.api.v1.chat.helpers import answer_app
from tests.support.live import LiveServer

TEAM = "/api/support/user/team"
PRO_TEAM = "/api/proApi/support/user/team"


def call(server: LiveServer, key: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
    with server.client(key) as client:
        return client.request(method, path, **kwargs)


def ok(server: LiveServer, key: str, method: str, path: str, **kwargs: Any) -> Any:
    return data_of(call(server, key, method, path, **kwargs))


def new_tenant(server: LiveServer, owner: str = "alice") -> tuple[str, str]:
    """A team made by the root key, and a key of its first owner."""
    name = f"team-{uuid.uuid4().hex[:8]}"
    team_id = ok(server, server.root_key, "POST", f"{TEAM}/create", json={"name": name, "username": owner})
    assert isinstance(team_id, str) and len(team_id) == 24
    key = ok(server, server.root_key, "POST", f"{TEAM}/key/create", json={"teamId": team_id, "name": "owner key"})
    assert isinstance(key, str) and key.startswith("fastgpt-")
    return team_id, key


def members(server: LiveServer, key: str, **body: Any) -> dict[str, Any]:
    page: dict[str, Any] = ok(server, key, "POST", f"{TEAM}/member/list", json=body)
    return page


def by_name(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["memberName"]: item for item in page["list"]}


def test_root_sets_up_a_tenant_and_its_owner_manages_members(server: LiveServer) -> None:
    team_id, owner_key = new_tenant(server)

    teams = ok(server, server.root_key, "GET", f"{TEAM}/list")
    mine = next(t for t in teams if t["teamId"] == team_id)
    assert mine["memberName"] == "alice" and mine["role"] == "owner" and mine["status"] == "active"
    assert mine["permission"]["isOwner"] is True and mine["createTime"].endswith("Z")
    assert len(teams) >= 2  # the default team too
    # the owner sees its own team only, as its membership (FastGPT: the caller's teams)
    assert [t["teamId"] for t in ok(server, owner_key, "GET", f"{TEAM}/list")] == [team_id]
    alice = mine["tmbId"]

    bob = ok(server, owner_key, "POST", f"{TEAM}/member/create", json={"name": "bob"})
    carol = ok(server, owner_key, "POST", f"{TEAM}/member/create", json={"name": "carol", "role": "admin"})
    page = members(server, owner_key, withPermission=True)
    assert page["total"] == 3 and [m["memberName"] for m in page["list"]] == ["alice", "bob", "carol"]
    item = by_name(page)["bob"]
    assert item == {
        **item,
        "tmbId": bob,
        "userId": bob,
        "teamId": team_id,
        "role": "member",
        "status": "active",
        "avatar": "",
    }
    assert item["permission"]["hasManagePer"] is False and by_name(page)["carol"]["permission"]["hasManagePer"]
    assert "permission" not in members(server, owner_key)["list"][0]
    assert ok(server, owner_key, "GET", f"{TEAM}/member/count") == {"count": 3}

    # FastGPT pagination (offset or pageNum), searchKey, tmbIds; the proApi path is the same route
    assert [m["memberName"] for m in members(server, owner_key, offset=1, pageSize=1)["list"]] == ["bob"]
    assert [m["memberName"] for m in members(server, owner_key, pageNum=2, pageSize=2)["list"]] == ["carol"]
    assert [m["tmbId"] for m in members(server, owner_key, searchKey="CAR")["list"]] == [carol]
    assert members(server, owner_key, tmbIds=[alice, bob])["total"] == 2
    assert members(server, owner_key, tmbIds=[]) == {"list": [], "total": 0}
    assert members(server, owner_key, status="leave") == {"list": [], "total": 0}
    pro = ok(server, owner_key, "POST", f"{PRO_TEAM}/member/list", json={"searchKey": "bob"})
    assert pro["total"] == 1

    # keys for members; a plain member reads the list but manages nothing
    bob_key = ok(server, owner_key, "POST", f"{TEAM}/key/create", json={"tmbId": bob, "name": "bob"})
    carol_key = ok(server, owner_key, "POST", f"{TEAM}/key/create", json={"tmbId": carol})
    assert members(server, bob_key)["total"] == 3
    refused(call(server, bob_key, "POST", f"{TEAM}/member/create", json={"name": "x"}), 403, "unAuthTeam")
    refused(call(server, bob_key, "POST", f"{TEAM}/key/create", json={}), 403, "unAuthTeam")
    refused(call(server, bob_key, "DELETE", f"{TEAM}/member/delete", params={"tmbId": carol}), 403, "unAuthTeam")
    refused(call(server, bob_key, "PUT", f"{TEAM}/update", json={"name": "mine"}), 403, "unAuthTeam")
    refused(call(server, owner_key, "POST", f"{TEAM}/create", json={"name": "nested"}), 403, "unAuthTeam")
    keyed = {k["tmbId"] for k in ok(server, owner_key, "GET", f"{TEAM}/key/list")}
    assert keyed == {alice, bob, carol}

    # an admin manages members but not owners
    dave = ok(server, carol_key, "POST", f"{TEAM}/member/create", json={"name": "dave"})
    refused(
        call(server, carol_key, "POST", f"{TEAM}/member/create", json={"name": "o", "role": "owner"}),
        403,
        "unAuthTeam",
    )
    refused(
        call(server, carol_key, "PUT", f"{TEAM}/member/updateNameByManager", json={"tmbId": alice, "name": "x"}),
        403,
        "unAuthTeam",
    )
    refused(call(server, carol_key, "DELETE", f"{TEAM}/member/delete", params={"tmbId": alice}), 403, "unAuthTeam")
    refused(
        call(server, carol_key, "PUT", f"{TEAM}/member/update", json={"tmbId": dave, "role": "owner"}),
        403,
        "unAuthTeam",
    )
    assert ok(server, carol_key, "PUT", f"{TEAM}/member/update", json={"tmbId": dave, "role": "admin"}) is None

    # renames (FastGPT's updateNameByManager and the combined update), team rename
    ok(server, owner_key, "PUT", f"{TEAM}/member/updateNameByManager", json={"tmbId": bob, "name": "robert"})
    ok(server, owner_key, "PUT", f"{TEAM}/member/update", json={"tmbId": dave, "name": "david", "role": "member"})
    names = by_name(members(server, owner_key))
    assert set(names) == {"alice", "robert", "carol", "david"} and names["david"]["role"] == "member"
    ok(server, owner_key, "PUT", f"{TEAM}/update", json={"name": "Renamed"})
    assert ok(server, owner_key, "GET", f"{TEAM}/list")[0]["teamName"] == "Renamed"

    # a team keeps an owner: the last one is neither removed nor demoted, even by root
    refused(call(server, owner_key, "DELETE", f"{TEAM}/member/delete", params={"tmbId": alice}), 400, "invalidParams")
    demote = {"teamId": team_id, "tmbId": alice, "role": "admin"}
    refused(call(server, server.root_key, "PUT", f"{TEAM}/member/update", json=demote), 400, "invalidParams")
    ok(server, owner_key, "PUT", f"{TEAM}/member/update", json={"tmbId": carol, "role": "owner"})
    ok(server, carol_key, "PUT", f"{TEAM}/member/update", json={"tmbId": alice, "role": "admin"})
    assert by_name(members(server, carol_key))["alice"]["role"] == "admin"


def test_removing_a_member_revokes_its_keys_at_once(server: LiveServer) -> None:
    _team_id, owner_key = new_tenant(server)
    bob = ok(server, owner_key, "POST", f"{TEAM}/member/create", json={"name": "bob"})
    bob_key = ok(server, owner_key, "POST", f"{TEAM}/key/create", json={"tmbId": bob})
    own_key = ok(server, bob_key, "POST", "/api/support/openapi/create", json={"name": "made by bob"})
    for key in (bob_key, own_key):  # both work (and sit in the key cache)
        assert ok(server, key, "POST", "/api/core/app/list", json={}) == []

    assert ok(server, owner_key, "DELETE", f"{TEAM}/member/delete", params={"tmbId": bob}) is None
    for key in (bob_key, own_key):
        refused(call(server, key, "POST", "/api/core/app/list", json={}), 401, "unAuthApiKey")
    assert [m["memberName"] for m in members(server, owner_key)["list"]] == ["alice"]
    assert all(k["tmbId"] != bob for k in ok(server, owner_key, "GET", "/api/support/openapi/list"))
    refused(call(server, owner_key, "DELETE", f"{TEAM}/member/delete", params={"tmbId": bob}), 404, "invalidResource")
    # the root key's own member in the default team stays
    root_tmb = next(t["tmbId"] for t in ok(server, server.root_key, "GET", f"{TEAM}/list") if t["memberName"] == "root")
    refused(
        call(server, server.root_key, "DELETE", f"{TEAM}/member/delete", params={"tmbId": root_tmb}), 403, "unAuthTeam"
    )


def test_teams_never_see_each_other(server: LiveServer) -> None:
    team_a, key_a = new_tenant(server, "ann")
    team_b, key_b = new_tenant(server, "ben")

    # apps and chats
    graph = answer_app("from A")
    app_a = ok(server, key_a, "POST", "/api/core/app/create", json={"name": "A app", "type": "advanced", **graph})
    body = {"messages": [{"role": "user", "content": "hi"}], "chatId": "a-chat"}
    answer = call(server, f"{key_a}-{app_a}", "POST", "/api/v1/chat/completions", json=body)
    assert answer.status_code == 200 and "from A" in answer.text
    history = {"appId": app_a, "offset": 0, "pageSize": 10}
    assert ok(server, key_a, "POST", "/api/core/chat/getHistories", json=history)["total"] == 1
    assert ok(server, key_b, "POST", "/api/core/app/list", json={}) == []
    refused(call(server, key_b, "GET", "/api/core/app/detail", params={"appId": app_a}), 403, "unAuthApp")
    refused(call(server, f"{key_b}-{app_a}", "POST", "/api/v1/chat/completions", json=body), 403, "unAuthApp")
    refused(call(server, key_b, "POST", "/api/core/chat/getHistories", json=history), 403, "unAuthApp")
    records = {"appId": app_a, "chatId": "a-chat", "offset": 0, "pageSize": 10}
    refused(call(server, key_b, "POST", "/api/core/chat/getPaginationRecords", json=records), 403, "unAuthApp")

    # datasets
    dataset_a = ok(server, key_a, "POST", "/api/core/dataset/create", json={"name": "A kb"})
    assert [d["_id"] for d in ok(server, key_a, "POST", "/api/core/dataset/list", json={})] == [dataset_a]
    assert ok(server, key_b, "POST", "/api/core/dataset/list", json={}) == []
    refused(call(server, key_b, "GET", "/api/core/dataset/detail", params={"id": dataset_a}), 403, "unAuthDataset")

    # keys
    keys_a = ok(server, key_a, "GET", "/api/support/openapi/list")
    assert keys_a and all(k["teamId"] == team_a for k in keys_a)
    assert all(k["teamId"] == team_b for k in ok(server, key_b, "GET", "/api/support/openapi/list"))
    key_id = keys_a[0]["_id"]
    refused(call(server, key_b, "DELETE", "/api/support/openapi/delete", params={"id": key_id}), 403, "openapiUnAuth")
    refused(call(server, key_b, "GET", f"{TEAM}/key/list", params={"teamId": team_a}), 403, "unAuthTeam")
    assert [k["_id"] for k in ok(server, server.root_key, "GET", f"{TEAM}/key/list", params={"teamId": team_a})] == [
        key_id
    ]

    # members and teams
    ann = members(server, key_a)["list"][0]["tmbId"]
    assert [m["memberName"] for m in members(server, key_b)["list"]] == ["ben"]
    refused(call(server, key_b, "POST", f"{TEAM}/member/list", json={"teamId": team_a}), 403, "unAuthTeam")
    refused(call(server, key_b, "GET", f"{TEAM}/member/count", params={"teamId": team_a}), 403, "unAuthTeam")
    refused(call(server, key_b, "DELETE", f"{TEAM}/member/delete", params={"tmbId": ann}), 404, "invalidResource")
    rename = {"tmbId": ann, "name": "taken over"}
    refused(call(server, key_b, "PUT", f"{TEAM}/member/updateNameByManager", json=rename), 404, "invalidResource")
    refused(call(server, key_b, "POST", f"{TEAM}/key/create", json={"tmbId": ann}), 404, "invalidResource")
    refused(call(server, key_b, "POST", f"{TEAM}/key/create", json={"teamId": team_a}), 403, "unAuthTeam")
    assert [t["teamId"] for t in ok(server, key_b, "GET", f"{TEAM}/list")] == [team_b]
    assert by_name(members(server, key_a))["ann"]["memberName"] == "ann"  # untouched


def test_bad_input_and_credentials(server: LiveServer) -> None:
    team_id, owner_key = new_tenant(server)
    root = server.root_key
    refused(call(server, None, "GET", f"{TEAM}/list"), 401, "unAuthorization")
    refused(call(server, server.app_key, "POST", f"{TEAM}/member/list", json={}), 403, "unAuthorization")
    refused(call(server, root, "POST", f"{TEAM}/create", json={"name": ""}), 400, "invalidParams")
    refused(call(server, root, "POST", f"{TEAM}/create", json={"name": "   "}), 400, "invalidParams")
    refused(call(server, root, "POST", f"{TEAM}/create", json={}), 400, "invalidParams")
    refused(
        call(server, owner_key, "POST", f"{TEAM}/member/create", json={"name": "x", "role": "god"}),
        400,
        "invalidParams",
    )
    refused(call(server, owner_key, "POST", f"{TEAM}/member/create", json={"name": "n" * 51}), 400, "invalidParams")
    refused(call(server, owner_key, "PUT", f"{TEAM}/member/update", json={"name": "x"}), 400, "invalidParams")
    refused(call(server, owner_key, "DELETE", f"{TEAM}/member/delete"), 400, "invalidParams")
    refused(call(server, owner_key, "POST", f"{TEAM}/member/list", json={"pageSize": 0}), 400, "invalidParams")
    refused(
        call(
            server, owner_key, "POST", f"{TEAM}/member/list", content=b"{", headers={"content-type": "application/json"}
        ),
        400,
        "invalidParams",
    )
    huge = {"offset": 10**20}
    refused(call(server, owner_key, "POST", f"{TEAM}/member/list", json=huge), 400, "invalidParams")
    refused(call(server, owner_key, "POST", f"{TEAM}/member/list", json={"teamId": "x" * 65}), 400, "invalidParams")
    refused(call(server, owner_key, "GET", f"{TEAM}/member/count", params={"teamId": "x" * 65}), 400, "invalidParams")
    assert members(server, owner_key, teamId="")["total"] == 1  # empty: the caller's own team
    missing = "0" * 24
    refused(call(server, root, "POST", f"{TEAM}/member/list", json={"teamId": missing}), 404, "unAuthTeam")
    refused(
        call(server, root, "POST", f"{TEAM}/key/create", json={"teamId": team_id, "tmbId": missing}),
        404,
        "invalidResource",
    )
    refused(
        call(server, owner_key, "PUT", f"{TEAM}/member/update", json={"tmbId": missing, "role": "admin"}),
        404,
        "invalidResource",
    )

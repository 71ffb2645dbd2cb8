"""The app page: import a FastGPT export, publish and roll back versions, share links, key deletion —
each checked on the page and through the API."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.live import LiveServer

APPS = Path(__file__).resolve().parents[1] / "workflow" / "apps"


def test_import_publish_roll_back_share_and_keys(signed_in: Page, console_server: LiveServer) -> None:
    page = signed_in
    export = json.loads((APPS / "interactive.json").read_text("utf-8"))
    page.get_by_label("App name").fill("Imported from FastGPT")
    page.get_by_text("Import a FastGPT export").click()
    page.get_by_label("FastGPT export JSON").fill(json.dumps(export))
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Imported from FastGPT")).to_be_visible()
    app_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    with console_server.root as client:
        detail = client.get("/api/core/app/detail", params={"appId": app_id}).json()["data"]
    assert [n["nodeId"] for n in detail["modules"]] == [n["nodeId"] for n in export["nodes"]]

    page.get_by_role("tab", name="Versions").click()
    page.get_by_label("Version name").fill("v1")
    page.get_by_role("button", name="Publish current draft").click()
    versions = page.get_by_role("table", name="Versions")
    expect(versions.get_by_role("cell", name="v1", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    versions.get_by_role("button", name="Roll back").first.click()
    expect(versions.get_by_role("cell", name=re.compile(r"^Rollback to v1$"))).to_be_visible()
    with console_server.root as client:
        listed = client.post("/api/core/app/version/list", json={"appId": app_id, "pageSize": 10}).json()["data"]
    names = [version.get("versionName") for version in listed["list"]]
    assert names[:2] == ["Rollback to v1", "v1"]  # newest first; the app's first version follows

    page.get_by_role("tab", name="Share links").click()
    page.get_by_label("Link name").fill("Visitors")
    page.get_by_label("QPM limit").fill("30")
    page.get_by_role("button", name="Create share link").click()
    links = page.get_by_role("table", name="Share links")
    expect(links.get_by_role("cell", name="Visitors", exact=True)).to_be_visible()
    expect(links.get_by_role("link", name=re.compile(r"shareId="))).to_be_visible()
    with console_server.root as client:
        stored = client.get("/api/support/outLink/list", params={"appId": app_id}).json()["data"]
    assert [(link["name"], link["limit"]["QPM"]) for link in stored] == [("Visitors", 30)]

    page.get_by_role("tab", name="API keys").click()
    page.get_by_label("Key name").fill("temporary")
    page.get_by_role("button", name="Create app key").click()
    key = page.get_by_test_id("new-key").inner_text()
    keys = page.get_by_role("table", name="API keys")
    expect(keys.get_by_role("cell", name="temporary", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    keys.get_by_role("row", name=re.compile("temporary")).get_by_role("button", name="Delete").click()
    expect(keys.get_by_role("cell", name="temporary", exact=True)).to_have_count(0)
    with console_server.client(key) as client:
        refused = client.post("/api/core/app/list", json={})
    assert refused.status_code == 401

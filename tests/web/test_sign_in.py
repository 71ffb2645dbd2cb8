"""Sign-in: a wrong key is refused with the server's message, the root key opens the apps list."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.live import LiveServer


def test_wrong_key_is_refused(page: Page) -> None:
    page.goto("/apps")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("Root key or team API key").fill("fastgpt-not-a-key")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_root_key_lists_the_demo_app(signed_in: Page, console_server: LiveServer) -> None:
    with console_server.root as client:
        apps = client.post("/api/core/app/list", json={}).json()["data"]
    demo = next(app for app in apps if app["_id"] == console_server.app_id)
    table = signed_in.get_by_role("table", name="Apps")
    expect(table.get_by_role("link", name=demo["name"], exact=True)).to_be_visible()


def test_create_app_opens_its_page(signed_in: Page) -> None:
    signed_in.get_by_label("App name").fill("Browser made app")
    signed_in.get_by_role("button", name="Create").click()
    expect(signed_in.get_by_role("heading", name="Browser made app")).to_be_visible()
    signed_in.get_by_role("tab", name="API keys").click()
    signed_in.get_by_role("button", name="Create app key").click()
    expect(signed_in.get_by_test_id("new-key")).to_contain_text("fastgpt-")

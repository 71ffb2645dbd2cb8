"""The share page (/chat/share?shareId=…): a visitor without a key chats and finds their own history."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.live import LiveServer
from tests.web.test_chat import knowledge_app


def create_share_link(server: LiveServer, app_id: str | None = None, **fields: Any) -> str:
    with server.root as client:
        created = client.post(
            "/api/support/outLink/create",
            json={"appId": app_id or server.app_id, "type": "share", "name": "Browser visitors", **fields},
        )
    assert created.status_code == 200, created.text
    share_id: str = created.json()["data"]
    return share_id


def test_visitor_chats_and_keeps_their_history(page: Page, console_server: LiveServer) -> None:
    share_id = create_share_link(console_server, showCite=True, showRunningStatus=True)
    page.goto(f"/chat/share?shareId={share_id}")
    box = page.get_by_label("Message")
    box.fill("hello from a visitor 3b7e")
    box.press("Enter")
    expect(page.get_by_role("article", name="Answer").last).to_contain_text("echo: hello from a visitor 3b7e")
    history = page.get_by_role("list", name="Chats")
    expect(history.get_by_role("button", name="hello from a visitor", exact=True)).to_be_visible()

    # the same browser comes back: its uid is kept, so the chat is still listed and opens
    page.goto(f"/chat/share?shareId={share_id}")
    history.get_by_role("button", name="hello from a visitor", exact=True).click()
    expect(page.get_by_role("article", name="Answer").last).to_contain_text("echo: hello from a visitor 3b7e")

    # another browser is another visitor: it sees none of these chats
    other = page.context.browser
    assert other is not None
    stranger = other.new_context(base_url=console_server.base_url).new_page()
    stranger.goto(f"/chat/share?shareId={share_id}")
    expect(stranger.get_by_label("Message")).to_be_visible()
    expect(stranger.get_by_text("No chats yet.")).to_be_visible()

    # the link's owner does not find visitors' chats among their own in the console
    stranger.goto("/login")
    stranger.get_by_label("Root key or team API key").fill(console_server.root_key)
    stranger.get_by_role("button", name="Sign in").click()
    expect(stranger.get_by_role("heading", name="Apps")).to_be_visible()
    stranger.goto(f"/apps/{console_server.app_id}/chat")
    stranger.get_by_label("Message").fill("owner question 0c1d")
    stranger.get_by_label("Message").press("Enter")
    owner_history = stranger.get_by_role("complementary", name="Chat history")
    expect(owner_history.get_by_role("button", name="owner question 0c1d", exact=True)).to_be_visible()
    expect(owner_history.get_by_role("button", name="hello from a visitor", exact=True)).to_have_count(0)
    stranger.context.close()


def test_unknown_share_link_says_so(page: Page) -> None:
    page.goto("/chat/share?shareId=no-such-link")
    expect(page.get_by_role("alert")).to_be_visible()


def test_citations_follow_the_links_show_cite(page: Page, console_server: LiveServer) -> None:
    app_id = knowledge_app(console_server)
    for show_cite, chips in [(True, 2), (False, 0)]:
        share_id = create_share_link(console_server, app_id, showCite=show_cite, showRunningStatus=True)
        page.goto(f"/chat/share?shareId={share_id}")
        box = page.get_by_label("Message")
        box.fill(f"warranty question {show_cite}")
        box.press("Enter")
        answer = page.get_by_role("article", name="Answer").last
        expect(answer.get_by_role("button", name="Good answer")).to_be_visible()  # the round has ended
        expect(answer.get_by_role("button", name=re.compile(r"^Citation \d+: "))).to_have_count(chips)

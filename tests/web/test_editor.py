"""The workflow editor: build workflowStart → AI chat → reply by hand, save it, run it in the test panel.

Everything goes through the page (add menu, dragging between handles, the settings form, the test
panel); the saved graph is then read back through the public API and must be FastGPT's stored format.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.fake_llm import Reply
from tests.support.live import LiveServer


def drag(page: Page, source: Locator, target: Locator) -> None:
    """Press on one handle and let go on another, moving in steps as a hand would."""
    expect(source).to_be_visible()
    expect(target).to_be_visible()
    start = source.bounding_box()
    end = target.bounding_box()
    assert start is not None and end is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def create_app(live: LiveServer, name: str) -> str:
    with live.root as client:
        response = client.post("/api/core/app/create", json={"name": name, "type": "advanced"})
        response.raise_for_status()
        app_id: str = response.json()["data"]
    return app_id


def app_detail(live: LiveServer, app_id: str) -> dict[str, Any]:
    with live.root as client:
        detail: dict[str, Any] = client.get("/api/core/app/detail", params={"appId": app_id}).json()["data"]
    return detail


def test_build_a_three_node_app_and_run_it(signed_in: Page, console_server: LiveServer) -> None:
    console_server.fake_llm.rule("hello editor", Reply(content="Greetings from the fake model"))
    app_id = create_app(console_server, "Editor made app")
    page = signed_in
    page.goto(f"/apps/{app_id}/workflow")

    start = page.get_by_role("group", name="Process Start")
    expect(start).to_be_visible()
    add = page.get_by_role("button", name="Add node")
    add.click()
    page.get_by_role("menuitem", name="AI Chat").click()
    add.click()
    page.get_by_role("menuitem", name="Specified Reply").click()
    page.get_by_role("button", name="Fit View").click()
    chat = page.get_by_role("group", name="AI Chat")
    reply = page.get_by_role("group", name="Specified Reply")
    expect(page.get_by_text("3 nodes · 0 edges")).to_be_visible()

    drag(page, start.get_by_test_id("source-right"), chat.get_by_test_id("target-left"))
    expect(page.get_by_text("3 nodes · 1 edges")).to_be_visible()
    drag(page, chat.get_by_test_id("source-right"), reply.get_by_test_id("target-left"))
    expect(page.get_by_text("3 nodes · 2 edges")).to_be_visible()

    # a node added by mistake goes with the Delete key
    add.click()
    page.get_by_role("menuitem", name="Text Concatenation").click()
    page.get_by_role("group", name="Text Concatenation").get_by_text("Text Concatenation").click()
    page.keyboard.press("Delete")
    expect(page.get_by_role("group", name="Text Concatenation")).to_have_count(0)
    expect(page.get_by_text("3 nodes · 2 edges")).to_be_visible()

    # the reply's text reads the chat's answer, picked in the node's settings form
    reply.get_by_text("Response content").click()
    settings = page.get_by_role("region", name="Node settings")
    expect(settings.get_by_label("Node name")).to_have_value("Specified Reply")
    settings.get_by_label("Response content source").select_option(label="Reference")
    settings.get_by_label("Response content", exact=True).select_option(label="AI Chat › AI response")
    expect(reply).to_contain_text("← AI Chat › AI response")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Draft saved")
    expect(page.get_by_text("unsaved changes")).to_have_count(0)

    page.get_by_role("tab", name="Test run").click()
    page.get_by_label("Test message").fill("hello editor")
    page.get_by_role("button", name="Run").click()
    turns = page.get_by_role("list", name="Test chat")
    expect(turns.get_by_label("Answer")).to_contain_text("Greetings from the fake model")
    responses = turns.get_by_role("list", name="Node responses").get_by_role("listitem")
    expect(responses).to_have_count(3)
    for name in ("Process Start", "AI Chat", "Specified Reply"):
        expect(responses.filter(has_text=name)).to_have_count(1)
    expect(responses.filter(has_text="AI Chat")).to_contain_text("tokens")
    expect(chat).to_contain_text("Done")

    page.reload()
    expect(page.get_by_text("3 nodes · 2 edges")).to_be_visible()
    expect(page.get_by_role("group", name="Specified Reply")).to_contain_text("← AI Chat › AI response")

    detail = app_detail(console_server, app_id)
    nodes = {node["flowNodeType"]: node for node in detail["modules"]}
    assert sorted(nodes) == ["answerNode", "chatNode", "workflowStart"]
    start_id, chat_id, reply_id = (nodes[t]["nodeId"] for t in ("workflowStart", "chatNode", "answerNode"))
    assert sorted((e["source"], e["target"]) for e in detail["edges"]) == sorted(
        [(start_id, chat_id), (chat_id, reply_id)]
    )
    for edge in detail["edges"]:
        assert list(edge) == ["source", "target", "sourceHandle", "targetHandle"]
        assert edge["sourceHandle"] == f"{edge['source']}-source-right"
        assert edge["targetHandle"] == f"{edge['target']}-target-left"
    text = next(i for i in nodes["answerNode"]["inputs"] if i["key"] == "text")
    assert text["value"] == [chat_id, "answerText"]
    question = next(i for i in nodes["chatNode"]["inputs"] if i["key"] == "userChatInput")
    assert question["value"] == [start_id, "userChatInput"]

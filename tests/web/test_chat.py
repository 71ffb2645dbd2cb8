"""The chat screen (/apps/:appId/chat): streamed answers, history across reloads, interactive nodes,
variables, votes, uploads and Stop — each checked on the page and, where it is stored, through the API."""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.fake_llm import Reply
from tests.support.live import LiveServer

APPS = Path(__file__).resolve().parents[1] / "workflow" / "apps"

START = {
    "nodeId": "workflowStartNodeId",
    "name": "Start",
    "flowNodeType": "workflowStart",
    "position": {"x": 0, "y": 0},
    "version": "481",
    "inputs": [{"key": "userChatInput", "renderTypeList": ["reference", "textarea"], "valueType": "string"}],
    "outputs": [{"id": "userChatInput", "key": "userChatInput", "type": "static", "valueType": "string"}],
}


def answer_node(node_id: str, text: str) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "name": f"Reply {node_id}",
        "flowNodeType": "answerNode",
        "position": {"x": 800, "y": 0},
        "version": "481",
        "inputs": [{"key": "text", "renderTypeList": ["textarea", "reference"], "valueType": "any", "value": text}],
        "outputs": [],
    }


def select_workflow() -> dict[str, Any]:
    """workflowStart → userSelect (Red / Blue) → one answer node per option; a required variable `name`."""
    select = {
        "nodeId": "pick",
        "name": "Pick a colour",
        "flowNodeType": "userSelect",
        "position": {"x": 400, "y": 0},
        "version": "489",
        "inputs": [
            {"key": "description", "renderTypeList": ["textarea"], "valueType": "string", "value": "Which colour?"},
            {
                "key": "userSelectOptions",
                "renderTypeList": ["custom"],
                "valueType": "any",
                "value": [{"key": "optRed", "value": "Red"}, {"key": "optBlue", "value": "Blue"}],
            },
        ],
        "outputs": [{"id": "selectResult", "key": "selectResult", "type": "static", "valueType": "string"}],
    }
    nodes = [START, select, answer_node("red", "Red for {{name}}."), answer_node("blue", "Blue for {{name}}.")]
    edges = [
        {"source": "workflowStartNodeId", "target": "pick", "sourceHandle": "workflowStartNodeId-source-right"},
        {"source": "pick", "target": "red", "sourceHandle": "pick-source-optRed", "targetHandle": "red-target-left"},
        {"source": "pick", "target": "blue", "sourceHandle": "pick-source-optBlue", "targetHandle": "blue-target-left"},
    ]
    variables = [{"key": "name", "label": "Your name", "type": "input", "required": True, "valueType": "string"}]
    return {"nodes": nodes, "edges": edges, "chatConfig": {"variables": variables}}


def create_app(server: LiveServer, name: str, graph: dict[str, Any]) -> str:
    """Create and publish an app through the public API; answers its id."""
    with server.root as client:
        created = client.post(
            "/api/core/app/create",
            json={"name": name, "type": "advanced", "modules": graph["nodes"], "edges": graph["edges"]},
        )
        assert created.status_code == 200, created.text
        app_id: str = created.json()["data"]
        published = client.post(
            "/api/core/app/version/publish",
            params={"appId": app_id},
            json={**graph, "isPublish": True, "versionName": "v1"},
        )
        assert published.status_code == 200, published.text
    return app_id


def demo_graph(server: LiveServer, chat_config: dict[str, Any]) -> dict[str, Any]:
    """The demo app's published workflow with another chatConfig."""
    with server.root as client:
        detail = client.get("/api/core/app/detail", params={"appId": server.app_id}).json()["data"]
    return {"nodes": detail["modules"], "edges": detail["edges"], "chatConfig": chat_config}


def records(server: LiveServer, app_id: str, chat_id: str) -> list[dict[str, Any]]:
    with server.root as client:
        body = client.post("/api/core/chat/getPaginationRecords", json={"appId": app_id, "chatId": chat_id}).json()
    items: list[dict[str, Any]] = body["data"]["list"]
    return items


def chat_id_of(page: Page) -> str:
    match = re.search(r"[?&]chatId=([^&]+)", page.url)
    assert match, page.url
    return match.group(1)


def ask(page: Page, question: str) -> None:
    box = page.get_by_label("Message")
    box.fill(question)
    box.press("Enter")


def test_streamed_answer_stays_in_history_after_reload(signed_in: Page, console_server: LiveServer) -> None:
    console_server.fake_llm.rule(
        "markdown please 7f3a", Reply(content="Here is **bold**.\n\n```python\nprint('hi')\n```", chunks=4)
    )
    page = signed_in
    page.goto(f"/apps/{console_server.app_id}/chat")
    ask(page, "markdown please 7f3a")
    answer = page.get_by_role("article", name="Answer").last
    expect(answer.locator("strong")).to_have_text("bold")
    expect(answer.locator("pre")).to_have_text("print('hi')")
    expect(answer.get_by_role("button", name="Copy code")).to_be_visible()
    expect(page.get_by_role("article", name="Question").last).to_have_text("markdown please 7f3a")
    expect(page).to_have_url(re.compile(r"chatId="))

    page.reload()
    expect(page.get_by_role("article", name="Answer").last.locator("strong")).to_have_text("bold")
    history = page.get_by_role("list", name="Chats")
    expect(history.get_by_role("button", name="markdown please 7f3a", exact=True)).to_have_attribute(
        "aria-current", "true"
    )


def test_rename_and_delete_a_chat(signed_in: Page, console_server: LiveServer) -> None:
    page = signed_in
    page.goto(f"/apps/{console_server.app_id}/chat")
    ask(page, "rename me b81c")
    expect(page.get_by_role("article", name="Answer").last).to_contain_text("echo: rename me b81c")
    history = page.get_by_role("list", name="Chats")
    history.get_by_role("button", name="Rename rename me b81c").click()
    history.get_by_label("New title").fill("Renamed chat b81c")
    history.get_by_role("button", name="Save").click()
    expect(history.get_by_role("button", name="Renamed chat b81c", exact=True)).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    history.get_by_role("button", name="Delete Renamed chat b81c").click()
    expect(history.get_by_role("button", name="Renamed chat b81c", exact=True)).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"chatId="))
    expect(page.get_by_role("article")).to_have_count(0)


def test_user_select_runs_the_chosen_branch(signed_in: Page, console_server: LiveServer) -> None:
    app_id = create_app(console_server, "Colour picker", select_workflow())
    page = signed_in
    page.goto(f"/apps/{app_id}/chat")
    ask(page, "choose")
    expect(page.get_by_role("alert")).to_contain_text("Your name")
    page.get_by_label("Your name").fill("Ann")
    page.get_by_label("Message").press("Enter")

    options = page.get_by_role("group", name="Options")
    expect(options).to_be_visible()
    expect(page.get_by_label("Message")).to_be_disabled()
    options.get_by_role("button", name="Blue").click()
    answer = page.get_by_role("article", name="Answer").last
    expect(answer).to_contain_text("Blue for Ann.")
    expect(options.get_by_role("button", name="Blue")).to_have_attribute("aria-pressed", "true")
    expect(options.get_by_role("button", name="Red")).to_be_disabled()
    expect(page.get_by_label("Message")).to_be_enabled()

    stored = records(console_server, app_id, chat_id_of(page))
    assert [item["obj"] for item in stored] == ["Human", "AI"]
    parts = stored[1]["value"]
    assert parts[0]["interactive"]["params"]["userSelectedVal"] == "Blue"
    assert "Blue for Ann." in parts[-1]["text"]["content"]


def test_form_input_resumes_with_the_form_values(signed_in: Page, console_server: LiveServer) -> None:
    graph = json.loads((APPS / "interactive.json").read_text("utf-8"))  # userSelect → formInput → answer
    app_id = create_app(console_server, "Size and details", graph)
    page = signed_in
    page.goto(f"/apps/{app_id}/chat")
    ask(page, "shirt")
    page.get_by_role("group", name="Options").get_by_role("button", name="Small").click()
    form = page.get_by_role("form", name="Form")
    form.get_by_role("button", name="Submit").click()
    expect(form.get_by_role("alert")).to_contain_text("Name")
    form.get_by_label("Name").fill("Ada")
    form.get_by_label("Age").fill("36")
    form.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("article", name="Answer").last).to_contain_text("Small for Ada (36) after Small")
    expect(form.get_by_label("Name")).to_be_disabled()

    page.reload()  # the stored answer shows the choice and the submitted form
    expect(page.get_by_role("group", name="Options").get_by_role("button", name="Small")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("form", name="Form").get_by_label("Name")).to_have_value("Ada")
    expect(page.get_by_role("article", name="Answer").last).to_contain_text("Small for Ada (36) after Small")


def test_thumbs_up_is_stored(signed_in: Page, console_server: LiveServer) -> None:
    page = signed_in
    page.goto(f"/apps/{console_server.app_id}/chat")
    ask(page, "rate me 40de")
    answer = page.get_by_role("article", name="Answer").last
    good = answer.get_by_role("button", name="Good answer")
    with page.expect_response(re.compile(r"/feedback/updateUserFeedback$")) as response:
        good.click()
    assert response.value.ok
    expect(good).to_have_attribute("aria-pressed", "true")
    stored = records(console_server, console_server.app_id, chat_id_of(page))
    assert stored[-1]["obj"] == "AI" and stored[-1]["userGoodFeedback"] == "yes"

    page.reload()
    expect(page.get_by_role("article", name="Answer").last.get_by_role("button", name="Good answer")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_stop_ends_a_running_answer(signed_in: Page, console_server: LiveServer) -> None:
    words = " ".join(f"word{i}" for i in range(200))
    console_server.fake_llm.rule("long story 5e21", Reply(content=words, chunks=200, delay_s=0.05))
    page = signed_in
    page.goto(f"/apps/{console_server.app_id}/chat")
    ask(page, "long story 5e21")
    answer = page.get_by_role("article", name="Answer").last
    expect(answer).to_contain_text("word0")
    page.get_by_role("button", name="Stop").click()
    expect(answer).to_contain_text("Stopped.")
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    assert "word199" not in answer.inner_text()
    ask(page, "after the stop 5e21")  # the chat takes the next question at once
    expect(page.get_by_role("article", name="Answer").last).to_contain_text("echo: after the stop 5e21")


def png_file(path: Path) -> Path:
    """A real 1×1 PNG (the server checks an image's first bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def test_image_upload_is_sent_as_a_message_part(signed_in: Page, console_server: LiveServer, tmp_path: Path) -> None:
    config = {"fileSelectConfig": {"canSelectImg": True, "canSelectFile": False, "maxFiles": 3}}
    app_id = create_app(console_server, "Vision chat", demo_graph(console_server, config))
    page = signed_in
    page.goto(f"/apps/{app_id}/chat")
    page.get_by_label("Choose files").set_input_files(png_file(tmp_path / "dot.png"))
    attachments = page.get_by_role("list", name="Attachments")
    expect(attachments.get_by_role("img", name="dot.png")).to_be_visible()
    ask(page, "what is in the picture 9c0d")
    question = page.get_by_role("article", name="Question").last
    expect(question.get_by_role("img", name="dot.png")).to_be_visible()
    expect(page.get_by_role("article", name="Answer").last).to_contain_text("echo:")
    stored = records(console_server, app_id, chat_id_of(page))
    files = [part["file"] for part in stored[0]["value"] if part.get("type") == "file"]
    assert [(f["type"], f["name"]) for f in files] == [("image", "dot.png")]
    # the upload button is offered only where the app allows files
    page.goto(f"/apps/{console_server.app_id}/chat")
    expect(page.get_by_label("Message")).to_be_visible()
    expect(page.get_by_role("button", name="Attach files")).to_have_count(0)


def knowledge_app(server: LiveServer) -> str:
    """A dataset of two chunks (inserted, so embedded at once) and the simple KB app searching it."""
    with server.root as client:
        dataset_id = client.post("/api/core/dataset/create", json={"name": "Browser KB"}).json()["data"]
        collection_id = client.post(
            "/api/core/dataset/collection/create", json={"datasetId": dataset_id, "name": "Owner manual"}
        ).json()["data"]
        for q, a in [("How long is the warranty?", "Two years."), ("Where is the reset button?", "On the back.")]:
            inserted = client.post(
                "/api/core/dataset/data/insertData", json={"collectionId": collection_id, "q": q, "a": a}
            )
            assert inserted.status_code == 200, inserted.text
    graph = json.loads((APPS / "simple_kb.json").read_text("utf-8"))
    for node in graph["nodes"]:
        for item in node.get("inputs", []):
            if item["key"] == "datasets":
                item["value"] = [{"datasetId": dataset_id}]
            if item["key"] == "similarity":
                item["value"] = 0
    return create_app(server, "Manual helper", graph)


def test_citations_open_the_quoted_chunk(signed_in: Page, console_server: LiveServer) -> None:
    app_id = knowledge_app(console_server)
    page = signed_in
    page.goto(f"/apps/{app_id}/chat")
    ask(page, "warranty question 61aa")
    answer = page.get_by_role("article", name="Answer").last
    chips = answer.get_by_role("button", name=re.compile(r"^Citation \d+: Owner manual$"))
    expect(chips).to_have_count(2)
    chips.first.click()
    quote = answer.get_by_role("region", name="Citation 1")
    expect(quote).to_contain_text("Owner manual")
    expect(quote).to_contain_text("?")

    # the stored answer keeps its citations
    page.reload()
    expect(
        page.get_by_role("article", name="Answer").last.get_by_role("button", name=re.compile("^Citation"))
    ).to_have_count(2)

"""The logs and analytics screen: chats made through the API show up as rows, filter by feedback, open
read-only with their node responses, export as CSV, and the Analytics charts name getTotalData's totals."""

from __future__ import annotations

import csv
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.support.live import LiveServer

PAGE_SIZE = 20  # the table's default rows per page


@dataclass(frozen=True)
class Chats:
    ids: list[str]
    liked: str  # the chat with good feedback
    titles: dict[str, str]
    questions: dict[str, str]


def ask(server: LiveServer, chat_id: str, question: str, data_id: str) -> None:
    with server.client(server.app_key) as client:
        response = client.post(
            "/api/v1/chat/completions",
            json={
                "chatId": chat_id,
                "stream": False,
                "detail": False,
                "responseChatItemId": data_id,
                "messages": [{"role": "user", "content": question}],
            },
        )
    assert response.status_code == 200, response.text


def logs(server: LiveServer, **body: Any) -> dict[str, Any]:
    with server.root as client:
        response = client.post("/api/core/app/logs/list", json={"appId": server.app_id, "pageSize": 500, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def totals(server: LiveServer) -> dict[str, Any]:
    with server.root as client:
        response = client.get("/api/core/app/logs/getTotalData", params={"appId": server.app_id})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def shown(value: float) -> str:
    """A number as the page prints it (at most four decimals, no trailing zeros)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


@pytest.fixture(scope="module")
def chats(console_server: LiveServer) -> Chats:
    tag = uuid.uuid4().hex[:8]
    ids = [f"logs-{tag}-{n}" for n in range(3)]
    questions = {chat_id: f"Logs question {n} {tag}" for n, chat_id in enumerate(ids)}
    for n, chat_id in enumerate(ids):
        ask(console_server, chat_id, questions[chat_id], f"answer-{tag}-{n}")
    ask(console_server, ids[0], f"Follow-up {tag}", f"answer-{tag}-0b")  # a second round: four messages
    with console_server.client(console_server.app_key) as client:
        voted = client.post(
            "/api/core/chat/feedback/updateUserFeedback",
            json={
                "appId": console_server.app_id,
                "chatId": ids[1],
                "dataId": f"answer-{tag}-1",
                "userGoodFeedback": "yes",
            },
        )
    assert voted.status_code == 200, voted.text
    entries = {entry["chatId"]: entry for entry in logs(console_server)["list"]}
    titles = {chat_id: entries[chat_id]["customTitle"] or entries[chat_id]["title"] for chat_id in ids}
    return Chats(ids=ids, liked=ids[1], titles=titles, questions=questions)


def open_logs(page: Page, server: LiveServer) -> Locator:
    page.goto(f"/apps/{server.app_id}/logs")
    table = page.get_by_role("table", name="Chat logs")
    expect(table).to_be_visible()
    return table


def expect_rows(page: Page, table: Locator, total: int) -> None:
    expect(page.get_by_test_id("logs-total")).to_have_text(f"{total} {'chat' if total == 1 else 'chats'}")
    expect(table.locator("tbody tr")).to_have_count(min(total, PAGE_SIZE))


def test_rows_filter_and_export(signed_in: Page, console_server: LiveServer, chats: Chats, tmp_path: Path) -> None:
    table = open_logs(signed_in, console_server)
    expect_rows(signed_in, table, logs(console_server)["total"])
    for chat_id in chats.ids[:2]:
        expect(table.get_by_role("button", name=chats.titles[chat_id])).to_be_visible()

    signed_in.get_by_label("Feedback", exact=True).select_option(label="Good feedback")
    liked = logs(console_server, feedbackType="good")
    assert chats.liked in {entry["chatId"] for entry in liked["list"]}
    expect_rows(signed_in, table, liked["total"])
    row = table.locator("tbody tr", has=signed_in.get_by_role("button", name=chats.titles[chats.liked]))
    expect(row).to_contain_text("Good feedback: 1")
    expect(table.get_by_role("button", name=chats.titles[chats.ids[2]])).to_have_count(0)

    with signed_in.expect_download() as download_info:
        signed_in.get_by_role("button", name="Export CSV").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".csv"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["chatId"] for row in rows] == [entry["chatId"] for entry in liked["list"]]
    exported = next(row for row in rows if row["chatId"] == chats.liked)
    assert exported["userGoodFeedbackCount"] == "1" and exported["source"] == "api"


def test_open_chat_shows_messages_and_node_responses(signed_in: Page, console_server: LiveServer, chats: Chats) -> None:
    table = open_logs(signed_in, console_server)
    first = chats.ids[0]
    table.get_by_role("button", name=chats.titles[first]).click()
    drawer = signed_in.get_by_role("dialog", name=f"Chat {chats.titles[first]}")
    messages = drawer.get_by_role("list", name="Messages").get_by_role("listitem")
    with console_server.root as client:
        records = client.post(
            "/api/core/chat/getPaginationRecords",
            json={"appId": console_server.app_id, "chatId": first, "offset": 0, "pageSize": 30},
        ).json()["data"]
    expect(messages).to_have_count(records["total"])
    expect(drawer.get_by_role("listitem", name="User message").first).to_contain_text(chats.questions[first])
    expect(drawer.get_by_role("listitem", name="AI message").first).to_contain_text(f"echo: {chats.questions[first]}")

    answer = drawer.get_by_role("listitem", name="AI message").first
    answer.get_by_role("button", name="Show node responses").click()
    nodes = answer.get_by_role("table", name="Node responses")
    expect(nodes.locator("tbody tr").first).to_be_visible()
    expect(nodes).to_contain_text("chatNode")

    drawer.get_by_role("button", name="Close").click()
    expect(drawer).to_have_count(0)


def test_analytics_charts_name_the_totals(signed_in: Page, console_server: LiveServer, chats: Chats) -> None:
    open_logs(signed_in, console_server)
    signed_in.get_by_role("tab", name="Analytics").click()
    chats_chart = signed_in.get_by_role("img", name=re.compile(r"^Chats over the last 7 days"))
    expect(chats_chart).to_be_visible()
    expected = totals(console_server)
    assert expected["totalChats"] >= len(chats.ids) + 1

    expect(signed_in.get_by_test_id("total-chats")).to_have_text(shown(expected["totalChats"]))
    expect(signed_in.get_by_test_id("total-users")).to_have_text(shown(expected["totalUsers"]))
    expect(signed_in.get_by_test_id("total-points")).to_have_text(shown(expected["totalPoints"]))
    # Every round of this session lies in the last 7 days, so the range totals are the all-time ones.
    expect(chats_chart).to_have_attribute("aria-label", re.compile(rf": {expected['totalChats']} chats in "))
    users = "user" if expected["totalUsers"] == 1 else "users"
    expect(signed_in.get_by_role("img", name=re.compile(r"^Users over"))).to_have_attribute(
        "aria-label", re.compile(rf": {expected['totalUsers']} new {users} in total")
    )
    points = "point" if expected["totalPoints"] == 1 else "points"
    expect(signed_in.get_by_role("img", name=re.compile(r"^Points over"))).to_have_attribute(
        "aria-label", re.compile(rf": {re.escape(shown(expected['totalPoints']))} {points} used")
    )
    for name in ("Feedback", "Retention"):
        expect(signed_in.get_by_role("img", name=re.compile(rf"^{name} over"))).to_be_visible()

    # chart.js drew on the canvas: some pixel is no longer transparent.
    signed_in.wait_for_function(
        """canvas => { const { width, height } = canvas; if (!width || !height) return false;
           const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
           for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true; return false; }""",
        arg=chats_chart.element_handle(),
    )

    figure = signed_in.get_by_role("figure", name="Chats")
    figure.get_by_text("Data table").click()
    data = figure.get_by_role("table", name="Chats data")
    expect(data).to_be_visible()
    column = data.locator("tbody tr td:nth-child(2)")
    assert sum(int(cell) for cell in column.all_inner_texts()) == expected["totalChats"]

"""`getTime`, `delay`, `textEditor`, `historyToMd`, and `pluginModule` → system tool routing."""

from __future__ import annotations

import base64
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pyfastgpt.workflow.runner import RunInput
from pyfastgpt.workflow.system_tools import get_tool, registered_tools
from tests.workflow.helpers import ai, answer_text, human, run_graph, text_query
from tests.workflow.system_tools.helpers import run_tool, tool_app

TIME_FORMAT = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$"
)


def test_every_id_form_finds_the_tool() -> None:
    tool = get_tool("getTime")
    assert tool is not None
    assert get_tool("community-getTime") is tool and get_tool("systemTool-getTime") is tool
    assert {"getTime", "fetchUrl", "mathExprVal", "delay", "DingTalkWebhook", "WeWorkWebhook", "feishu"} <= set(
        registered_tools()
    )


@pytest.mark.parametrize("plugin_id", ["community-getTime", "systemTool-getTime", "getTime"])
async def test_get_time_in_the_users_timezone(plain_deps, plugin_id: str) -> None:
    app = tool_app(plugin_id, {}, ["time"], answer="It is {{$tool.time$}}")
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("time?"), timezone="Asia/Shanghai"))
    assert result.error is None, result.flow_responses
    stamp = answer_text(result).strip().removeprefix("It is ")
    assert TIME_FORMAT.match(stamp), stamp
    shown = datetime.strptime(stamp.rsplit(" ", 1)[0], "%Y-%m-%d %H:%M:%S")
    now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert abs(now - shown) < timedelta(minutes=1)
    response = next(r for r in result.flow_responses if r["nodeId"] == "tool")
    assert response["toolRes"] == {"time": stamp}
    assert response["moduleType"] == "pluginModule"
    assert response["totalPoints"] == 0
    assert any(u.module_name == "Tool " + plugin_id and u.total_points == 0 for u in result.usages)


async def test_unknown_community_tool_is_a_clear_node_error(plain_deps) -> None:
    result, _response = await run_tool(plain_deps, "community-google", {"query": "x"})
    assert result.error == "System tool 'community-google' is not available on this server"


async def test_delay_waits_and_checks_its_range(plain_deps) -> None:
    started = time.perf_counter()
    result, response = await run_tool(plain_deps, "community-delay", {"ms": 300})
    assert result.error is None and response["toolRes"] == {}
    assert time.perf_counter() - started >= 0.3
    result, _ = await run_tool(plain_deps, "delay", {"ms": 300_001})
    assert result.error == "ms must be between 1 and 300000 milliseconds, got 300001"


async def test_text_editor_plugin_fills_its_own_inputs(plain_deps) -> None:
    result, response = await run_tool(
        plain_deps,
        "community-textEditor",
        {"url": "https://x.test/a.png", "文本": "![]({{url}}) {{missing}}"},
        ["text"],
    )
    assert result.error is None
    assert response["toolRes"] == {"text": "![](https://x.test/a.png) {{missing}}"}


async def test_history_to_markdown(plain_deps) -> None:
    history = [
        human("hello"),
        ai("hi there"),
        {"obj": "Human", "value": [{"type": "file", "file": {"url": "https://x.test/f.pdf"}}]},
    ]
    result, response = await run_tool(
        plain_deps, "community-historyToMd", {"history": history, "historyCount": 2}, ["markdownContent", "base64"]
    )
    assert result.error is None
    markdown = response["toolRes"]["markdownContent"]
    assert markdown == "Role: AI\nhi there\n\n-------\n\nRole: 用户\n![file](https://x.test/f.pdf)"
    assert base64.b64decode(response["toolRes"]["base64"]).decode("utf-8") == "\ufeff" + markdown

"""A realistic advanced app (classify → extract → if/else → HTTP(catch) → code → answer; refund form →
variable update → text editor → feedback; fallback chat) run end to end."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from pyfastgpt.workflow.runner import RunInput
from tests.fake_llm import Reply
from tests.workflow.helpers import ai, answer_text, human, load_app, run_graph, text_query


@pytest.fixture
async def orders_api() -> AsyncIterator[str]:
    async def order(request: web.Request) -> web.Response:
        if request.match_info["id"] == "500":
            return web.json_response({"message": "db down"}, status=500)
        assert request.headers["X-Shop"] == "demo"
        return web.json_response({"status": "shipped", "items": [{"name": "kettle"}]})

    app = web.Application()
    app.router.add_get("/orders/{id}", order)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()


def run_input(text: str, api: str, **kwargs) -> RunInput:
    return RunInput(query=text_query(text), variables={"User name": "Ann", "api_base": api}, **kwargs)


async def test_order_route_calls_api_and_formats(deps, fake, orders_api):
    fake.script(Reply(content="order"), Reply(content='{"orderId": "42"}'))
    result, _ = await run_graph(deps, load_app("support_bot"), run_input("where is order 42", orders_api))
    assert result.error is None, result.flow_responses
    assert answer_text(result) == "\nYour order is shipped (first item: kettle)"
    ran = [r["nodeId"] for r in result.flow_responses]
    assert ran == ["start", "cq", "ex", "has_id", "api", "fmt", "say_status"]
    assert [u.module_name for u in result.usages] == ["问题分类", "提取订单号"]
    assert result.total_points == pytest.approx(sum(u.total_points for u in result.usages))


async def test_order_route_service_error_takes_catch_branch(deps, fake, orders_api):
    fake.script(Reply(content="order"), Reply(content='{"orderId": "500"}'))
    result, _ = await run_graph(deps, load_app("support_bot"), run_input("order 500?", orders_api))
    assert answer_text(result).startswith("\nOrder service unavailable: HTTP 500")
    assert "fmt" not in [r["nodeId"] for r in result.flow_responses]


async def test_order_route_without_id_asks_for_it(deps, fake, orders_api):
    fake.script(Reply(content="order"), Reply(content="{}"))
    result, _ = await run_graph(deps, load_app("support_bot"), run_input("where is my order", orders_api))
    assert answer_text(result) == "\nPlease tell me your order number."


async def test_refund_route_form_round_trip(deps, fake, orders_api):
    graph = load_app("support_bot")
    fake.script(Reply(content="refund"))
    first, _ = await run_graph(deps, graph, run_input("I want a refund", orders_api))
    assert first.interactive["type"] == "userInput"
    histories = [human("I want a refund"), {"obj": "AI", "value": first.assistant_responses}]
    second, _ = await run_graph(
        deps,
        graph,
        run_input(
            json.dumps({"reason": "broken lid"}), orders_api, histories=histories, last_interactive=first.interactive
        ),
    )
    assert answer_text(second) == "\nRefund requested by Ann because: broken lid"
    assert second.new_variables["refund_reason"] == "broken lid"
    assert second.custom_feedbacks == ["Refund requested by Ann because: broken lid"]
    assert len(fake.requests) == 1  # resuming does not re-run the classifier


async def test_other_route_chats_with_history(deps, fake, orders_api):
    fake.script(Reply(content="other"), Reply(content="Hi Ann!"))
    result, _ = await run_graph(
        deps, load_app("support_bot"), run_input("hello", orders_api, histories=[human("hey"), ai("hello")])
    )
    assert answer_text(result) == "Hi Ann!"
    messages = fake.requests[-1]["messages"]
    assert messages[0]["content"] == "You are the shop assistant. Customer: Ann"
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]

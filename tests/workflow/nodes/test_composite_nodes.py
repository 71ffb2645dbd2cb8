"""Dataset search/concat (in-memory search port), loop, plugin and child-app runs."""

from __future__ import annotations

from typing import Any

from pyfastgpt.rag.search.types import DatasetSearchParams, DatasetSearchResult
from pyfastgpt.workflow.context import WorkflowDeps
from pyfastgpt.workflow.runner import RunInput
from tests.fake_llm import Reply
from tests.workflow.helpers import answer_node, answer_text, edge, load_app, run_graph, start_node, text_query


class MemoryDatasetSearch:
    """The `DatasetSearch` port over a list of chunks: word-overlap ranking, token limit ignored."""

    def __init__(self, chunks: list[dict[str, Any]]) -> None:
        self.chunks = chunks
        self.calls: list[DatasetSearchParams] = []

    async def search(self, params: DatasetSearchParams) -> DatasetSearchResult:
        self.calls.append(params)
        words = set(params.query.lower().split())
        scored = [
            (len(words & set((c["q"] + " " + c["a"]).lower().split())), c)
            for c in self.chunks
            if c["datasetId"] in params.dataset_ids
        ]
        hits = [
            dict(c, score=[{"type": "fullText", "value": s, "index": i}])
            for i, (s, c) in enumerate(sorted(scored, key=lambda x: -x[0]))
            if s
        ]
        return DatasetSearchResult(
            quotes=hits, search_mode=params.search_mode, limit=params.limit, similarity=params.similarity
        )


class MemoryAppLoader:
    def __init__(self, apps: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.apps = apps

    async def load(self, app_id: str, team_id: str) -> tuple[str, dict[str, Any]]:
        if app_id not in self.apps:
            raise LookupError(app_id)
        return self.apps[app_id]


CHUNKS = [
    {
        "id": "d1",
        "datasetId": "ds1",
        "collectionId": "c1",
        "sourceName": "faq.md",
        "sourceId": "f1",
        "q": "refund policy",
        "a": "Refunds within 30 days",
        "chunkIndex": 0,
    },
    {
        "id": "d2",
        "datasetId": "ds1",
        "collectionId": "c1",
        "sourceName": "faq.md",
        "sourceId": "f1",
        "q": "shipping time",
        "a": "Ships in 2 days",
        "chunkIndex": 1,
    },
    {
        "id": "d3",
        "datasetId": "ds2",
        "collectionId": "c2",
        "sourceName": "policy.txt",
        "sourceId": "f2",
        "q": "refund exceptions",
        "a": "No refunds on sale items",
        "chunkIndex": 0,
    },
]


async def test_kb_app_quotes_reach_the_prompt(deps, fake):
    search = MemoryDatasetSearch(CHUNKS)
    deps = WorkflowDeps(registry=deps.registry, settings=deps.settings, dataset_search=search)
    fake.script(Reply(content="You can get a refund."))
    result, _ = await run_graph(deps, load_app("kb_chat"), RunInput(query=text_query("refund policy please")))
    assert result.error is None, result.flow_responses
    assert sorted(c.dataset_ids[0] for c in search.calls) == ["ds1", "ds2"]
    assert all(c.search_mode == "mixedRecall" and c.limit == 3000 for c in search.calls)
    search_response = next(r for r in result.flow_responses if r["moduleType"] == "datasetSearchNode")
    assert [q["id"] for q in search_response["quoteList"]][:1] == ["d1"]
    concat = next(r for r in result.flow_responses if r["moduleType"] == "datasetConcatNode")
    assert concat["concatLength"] >= 2
    system = fake.requests[-1]["messages"][0]["content"]
    assert "<Cites>" in system and '"id": "d1"' in system and "Refunds within 30 days" in system
    chat = result.flow_responses[-1]
    assert chat["moduleType"] == "chatNode" and chat["quoteList"][0]["id"] == "d1"
    assert answer_text(result) == "You can get a refund."


async def test_loop_collects_loop_end_values(plain_deps):
    result, _ = await run_graph(plain_deps, load_app("loop"), RunInput(query=text_query("x")))
    assert result.error is None, result.flow_responses
    loop = next(r for r in result.flow_responses if r["moduleType"] == "loop")
    assert loop["loopResult"] == ["item a #1", "item b #2", "item c #3"]
    assert answer_text(result) == '\n[\n  "item a #1",\n  "item b #2",\n  "item c #3"\n]'


async def test_plugin_app_and_plugin_module(plain_deps):
    plugin = load_app("plugin_greet")
    # run the plugin app directly, as the chat API does for plugin apps
    result, _ = await run_graph(plain_deps, plugin, RunInput(app_type="plugin", plugin_inputs={"who": "Bob"}))
    output = next(r for r in result.flow_responses if r["moduleType"] == "pluginOutput")
    assert output["pluginOutput"] == {"greeting": "Hello Bob"}

    deps = WorkflowDeps(
        registry=plain_deps.registry,
        settings=plain_deps.settings,
        app_loader=MemoryAppLoader({"plug1": ("plugin", plugin)}),
    )
    caller = {
        "nodes": [
            start_node(),
            {
                "nodeId": "p",
                "flowNodeType": "pluginModule",
                "name": "Greeter",
                "pluginId": "plug1",
                "inputs": [
                    {
                        "key": "who",
                        "renderTypeList": ["reference"],
                        "valueType": "string",
                        "value": ["start", "userChatInput"],
                    }
                ],
                "outputs": [{"id": "greeting", "key": "greeting", "type": "static", "valueType": "string"}],
            },
            answer_node("a", "{{$p.greeting$}}!"),
        ],
        "edges": [edge("start", "p"), edge("p", "a")],
    }
    result, _ = await run_graph(deps, caller, RunInput(query=text_query("Zoe")))
    assert answer_text(result) == "\nHello Zoe!"
    assert result.flow_responses[1]["pluginOutput"] == {"greeting": "Hello Zoe"}

    caller["nodes"][1]["pluginId"] = "missing"
    result, _ = await run_graph(deps, caller, RunInput(query=text_query("Zoe")))
    assert result.error == "App 'missing' does not exist"


async def test_app_module_child_run_and_depth_limit(plain_deps):
    child = {
        "nodes": [start_node(), answer_node("a", "child got {{$start.userChatInput$}}")],
        "edges": [edge("start", "a")],
    }
    call = {
        "nodeId": "call",
        "flowNodeType": "appModule",
        "name": "Child",
        "pluginId": "child",
        "inputs": [
            {
                "key": "userChatInput",
                "renderTypeList": ["reference"],
                "valueType": "string",
                "value": ["start", "userChatInput"],
            },
            {"key": "history", "renderTypeList": ["numberInput"], "valueType": "chatHistory", "value": 0},
        ],
        "outputs": [{"id": "answerText", "key": "answerText", "type": "static", "valueType": "string"}],
    }
    parent = {"nodes": [start_node(), call], "edges": [edge("start", "call")]}
    loader = MemoryAppLoader({"child": ("advanced", child), "self": ("advanced", {})})
    deps = WorkflowDeps(registry=plain_deps.registry, settings=plain_deps.settings, app_loader=loader)
    result, _ = await run_graph(deps, parent, RunInput(query=text_query("ping")))
    assert answer_text(result) == "\nchild got ping"
    assert result.flow_responses[1]["pluginDetail"][1]["textOutput"] == "child got ping"

    recursive = {"nodes": [start_node(), dict(call, pluginId="self")], "edges": [edge("start", "call")]}
    loader.apps["self"] = ("advanced", recursive)
    result, _ = await run_graph(deps, recursive, RunInput(query=text_query("ping")))
    assert "nesting is deeper than 20" in result.error


async def test_simple_app_with_datasets_uses_user_role_quote_prompt(deps, fake):
    """The form2AppWorkflow layout (userGuide, workflowStartNodeId, iKBoX2vIzETU, 7BdojPlukIQw)."""
    graph = load_app("simple_kb")
    chat = next(n for n in graph["nodes"] if n["nodeId"] == "7BdojPlukIQw")
    chat["inputs"].append(
        {"key": "aiChatQuoteRole", "renderTypeList": ["hidden"], "valueType": "string", "value": "user"}
    )
    search = MemoryDatasetSearch(CHUNKS)
    deps = WorkflowDeps(registry=deps.registry, settings=deps.settings, dataset_search=search)
    fake.script(Reply(content="Ships in 2 days."))
    result, _ = await run_graph(deps, graph, RunInput(query=text_query("shipping time")))
    assert result.error is None, result.flow_responses
    assert search.calls[0].dataset_ids == ["ds1", "ds2"] and search.calls[0].search_mode == "embedding"
    messages = fake.requests[-1]["messages"]
    assert messages[-1]["role"] == "user"
    assert "<Cites>" in messages[-1]["content"] and "## 用户问题\n\nshipping time" in messages[-1]["content"]
    assert "Ships in 2 days" in messages[-1]["content"]
    assert answer_text(result) == "Ships in 2 days."


async def test_dataset_search_without_port_is_node_error(plain_deps):
    result, _ = await run_graph(plain_deps, load_app("simple_kb"), RunInput(query=text_query("x")))
    assert result.error == "Knowledge-base search is not available"


async def test_unreachable_plugin_output_is_still_run(plain_deps):
    plugin = load_app("plugin_greet")
    plugin["edges"] = [e for e in plugin["edges"] if e["target"] != "pluginOutput"]
    result, _ = await run_graph(plain_deps, plugin, RunInput(app_type="plugin", plugin_inputs={"who": "Eve"}))
    outputs = [r for r in result.flow_responses if r["moduleType"] == "pluginOutput"]
    assert len(outputs) == 1 and outputs[0]["pluginOutput"] == {"greeting": "Hello Eve"}

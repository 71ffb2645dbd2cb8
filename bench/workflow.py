"""Workflow engine overhead.

1. Per-node and per-run engine overhead of a 3-node and a 30-node graph whose chat node talks to
   the local fake OpenAI server (zero delay), against the same provider calls made directly in
   the same run (so overhead = run time - provider time).
2. Pure scheduling cost per node for a 30-node graph without model nodes.
3. Code-node cold start (ms) for JavaScript and Python (one subprocess per run), against a bare
   `python -c pass` / `node -e 0` start in the same run.
4. Container nodes: a `parallelRun` and a `loopRun` over 100 items whose body is one textEditor node;
   cost per item against the same textEditor run once as a plain node, in the same run.
5. Typed node inputs: building each node's inputs object (`Node.read_inputs`) against reading the same
   keys with `dict.get` (what nodes did before), and against one node's whole engine cost, same run.

Usage: python bench/workflow.py [--runs 200] [--container-runs 30] [--only engine|containers|code|inputs]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from tests.fake_llm import start_fake_llm  # noqa: E402

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest  # noqa: E402
from pyfastgpt.ai.registry import build_registry  # noqa: E402
from pyfastgpt.core.config import Settings  # noqa: E402
from pyfastgpt.workflow.events import WorkflowDone  # noqa: E402
from pyfastgpt.workflow.runner import RunInput, WorkflowDeps, WorkflowRunner  # noqa: E402
from pyfastgpt.workflow.sandbox.runner import SandboxLimits, run_code  # noqa: E402


def _edge(source: str, target: str) -> dict[str, Any]:
    return {
        "source": source,
        "sourceHandle": f"{source}-source-right",
        "target": target,
        "targetHandle": f"{target}-target-left",
    }


def _start() -> dict[str, Any]:
    return {
        "nodeId": "start",
        "flowNodeType": "workflowStart",
        "name": "start",
        "inputs": [{"key": "userChatInput", "renderTypeList": ["reference"], "valueType": "string"}],
        "outputs": [{"id": "userChatInput", "key": "userChatInput", "type": "static", "valueType": "string"}],
    }


def _chat(node_id: str) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "chatNode",
        "name": node_id,
        "inputs": [
            {"key": "model", "renderTypeList": ["settingLLMModel"], "valueType": "string", "value": "fake-llm"},
            {"key": "history", "renderTypeList": ["numberInput"], "valueType": "chatHistory", "value": 0},
            {
                "key": "userChatInput",
                "renderTypeList": ["reference"],
                "valueType": "string",
                "value": ["start", "userChatInput"],
            },
        ],
        "outputs": [{"id": "answerText", "key": "answerText", "type": "static", "valueType": "string"}],
    }


def _editor(node_id: str, previous: str) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "textEditor",
        "name": node_id,
        "inputs": [
            {"key": "system_addInputParam", "renderTypeList": ["addInputParam"], "valueType": "dynamic", "value": {}},
            {
                "key": "p",
                "renderTypeList": ["reference"],
                "valueType": "string",
                "canEdit": True,
                "value": [previous, "system_text"],
            },
            {"key": "system_textareaInput", "renderTypeList": ["textarea"], "valueType": "string", "value": "{{p}}."},
        ],
        "outputs": [{"id": "system_text", "key": "system_text", "type": "static", "valueType": "string"}],
    }


def graph(size: int, with_llm: bool) -> dict[str, Any]:
    nodes = [_start()]
    edges = []
    previous = "start"
    if with_llm:
        nodes.append(_chat("chat"))
        edges.append(_edge("start", "chat"))
        previous = "chat"
    while len(nodes) < size:
        node_id = f"n{len(nodes)}"
        nodes.append(_editor(node_id, previous))
        edges.append(_edge(previous, node_id))
        previous = node_id
    return {"nodes": nodes, "edges": edges}


async def time_runs(runner: WorkflowRunner, app: dict[str, Any], runs: int, stream: bool) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        async for event in runner.run(
            app, RunInput(query=[{"type": "text", "text": {"content": "hello"}}], stream=stream)
        ):
            if isinstance(event, WorkflowDone) and event.result.error:
                raise RuntimeError(event.result.error)
        samples.append(time.perf_counter() - started)
    return samples


async def time_provider(registry: Any, runs: int, stream: bool) -> list[float]:
    model = registry.llm("fake-llm")
    samples = []
    for _ in range(runs):
        request = ChatRequest(messages=[ChatMessage(role="user", content="hello")], model="fake-llm", max_tokens=1000)
        started = time.perf_counter()
        if stream:
            async for _delta in model.stream(request):
                pass
        else:
            await model.complete(request)
        samples.append(time.perf_counter() - started)
    return samples


def med(samples: list[float]) -> float:
    return statistics.median(samples)


async def engine_bench(runs: int) -> None:
    with start_fake_llm() as fake:
        settings = Settings(
            _env_file=None,
            openai_base_url=fake.base_url,
            openai_api_key="x",
            default_llm="fake-llm",
            local_llm_enabled=False,
        )  # type: ignore[call-arg]
        registry = build_registry(settings)
        runner = WorkflowRunner(WorkflowDeps(registry=registry, settings=settings))
        try:
            for stream in (True, False):
                await time_runs(runner, graph(3, True), 5, stream)  # warm-up
                mode = "stream" if stream else "non-stream"
                for size in (3, 30):
                    # interleave provider-alone and whole-run samples so both see the same load
                    provider_samples: list[float] = []
                    run_samples: list[float] = []
                    for _ in range(runs // 10):
                        provider_samples += await time_provider(registry, 10, stream)
                        run_samples += await time_runs(runner, graph(size, True), 10, stream)
                    for label, pick in (("median", med), ("min", min)):
                        provider, run = pick(provider_samples), pick(run_samples)
                        overhead = run - provider
                        print(
                            f"{mode:>10} {size:>2}-node graph, 1 LLM node ({label:>6}): provider {provider * 1e3:7.3f} ms, "
                            f"run {run * 1e3:7.3f} ms, engine overhead {overhead * 1e3:6.3f} ms/run = "
                            f"{overhead / size * 1e6:6.1f} us/node (run/provider {run / provider:4.2f}x)"
                        )
            for size in (3, 30):
                samples = await time_runs(runner, graph(size, False), runs, True)
                print(
                    f"no-LLM {size:>2}-node graph: median {med(samples) * 1e3:6.3f} ms/run = "
                    f"{med(samples) / size * 1e6:6.1f} us/node; min {min(samples) / size * 1e6:6.1f} us/node"
                )
        finally:
            await registry.aclose()


async def code_bench(runs: int) -> None:
    limits = SandboxLimits(timeout_s=10)
    baselines = {
        "py": [sys.executable, "-I", "-S", "-c", "pass"],
        "js": ["node", "-e", "0"],
    }
    codes = {
        "py": "def main(a):\n    return {'r': a + 1}",
        "js": "function main({a}){ return {r: a + 1} }",
    }
    for language, code in codes.items():
        bare = []
        for _ in range(runs):
            started = time.perf_counter()
            process = await asyncio.create_subprocess_exec(*baselines[language])
            await process.wait()
            bare.append(time.perf_counter() - started)
        sandboxed = []
        for _ in range(runs):
            started = time.perf_counter()
            await run_code(language, code, {"a": 1}, limits)
            sandboxed.append(time.perf_counter() - started)
        print(
            f"code node cold start {language}: {med(sandboxed) * 1e3:6.1f} ms "
            f"(bare interpreter start {med(bare) * 1e3:6.1f} ms, ratio {med(sandboxed) / med(bare):4.2f}x)"
        )


CONTAINER_ITEMS = 100


def _body_editor(node_id: str, parent: str | None, item_ref: list[str]) -> dict[str, Any]:
    node = _editor(node_id, "start")
    node["inputs"][1]["value"] = item_ref
    if parent:
        node["parentNodeId"] = parent
    return node


def _hidden(key: str, value: Any, value_type: str = "any") -> dict[str, Any]:
    return {"key": key, "renderTypeList": ["hidden"], "valueType": value_type, "value": value}


def container_graphs() -> dict[str, dict[str, Any]]:
    """start only; start -> 100 textEditors in a chain (the body node run as plain nodes);
    start -> parallelRun(100 items); start -> loopRun(100 items). All declare the same variables."""
    items = _hidden("loopInputArray", ["VARIABLE_NODE_ID", "items"], "arrayAny")
    names = json.dumps([f"item{n}" for n in range(CONTAINER_ITEMS)])
    config = {"variables": [{"key": "items", "label": "items", "valueType": "arrayAny", "defaultValue": names}]}
    parallel = {
        "nodeId": "par",
        "flowNodeType": "parallelRun",
        "name": "par",
        "inputs": [
            items,
            _hidden("parallelRunMaxConcurrency", 10, "number"),
            _hidden("parallelRunMaxRetryTimes", 0, "number"),
            _hidden("childrenNodeIdList", ["ps", "pt", "pe"]),
        ],
        "outputs": [{"id": "parallelSuccessResults", "key": "parallelSuccessResults", "type": "static"}],
    }
    parallel_body = [
        {
            "nodeId": "ps",
            "parentNodeId": "par",
            "flowNodeType": "loopStart",
            "name": "ps",
            "inputs": [_hidden("loopStartInput", ""), _hidden("loopStartIndex", "", "number")],
            "outputs": [{"id": "loopStartInput", "key": "loopStartInput", "type": "static", "valueType": "any"}],
        },
        _body_editor("pt", "par", ["ps", "loopStartInput"]),
        {
            "nodeId": "pe",
            "parentNodeId": "par",
            "flowNodeType": "loopEnd",
            "name": "pe",
            "inputs": [_hidden("loopEndInput", ["pt", "system_text"])],
        },
    ]
    loop = {
        "nodeId": "loop",
        "flowNodeType": "loopRun",
        "name": "loop",
        "inputs": [
            _hidden("loopRunMode", "array", "string"),
            {**items, "key": "loopRunInputArray"},
            _hidden("childrenNodeIdList", ["ls", "lt"]),
        ],
        "outputs": [],
    }
    loop_body = [
        {
            "nodeId": "ls",
            "parentNodeId": "loop",
            "flowNodeType": "loopRunStart",
            "name": "ls",
            "inputs": [_hidden("loopRunMode", "array"), _hidden("loopStartInput", ""), _hidden("loopStartIndex", 0)],
            "outputs": [{"id": "currentItem", "key": "currentItem", "type": "static", "valueType": "any"}],
        },
        _body_editor("lt", "loop", ["ls", "currentItem"]),
    ]
    return {
        "empty": {"nodes": [_start()], "edges": [], "chatConfig": config},
        "plain": {
            "nodes": [
                _start(),
                *[_body_editor(f"t{n}", None, ["start", "userChatInput"]) for n in range(CONTAINER_ITEMS)],
            ],
            "edges": [_edge("start", "t0"), *[_edge(f"t{n}", f"t{n + 1}") for n in range(CONTAINER_ITEMS - 1)]],
            "chatConfig": config,
        },
        "parallelRun": {
            "nodes": [_start(), parallel, *parallel_body],
            "edges": [_edge("start", "par"), _edge("ps", "pt"), _edge("pt", "pe")],
            "chatConfig": config,
        },
        "loopRun": {
            "nodes": [_start(), loop, *loop_body],
            "edges": [_edge("start", "loop"), _edge("ls", "lt")],
            "chatConfig": config,
        },
    }


async def container_bench(runs: int) -> None:
    settings = Settings(_env_file=None, local_llm_enabled=False)  # type: ignore[call-arg]
    registry = build_registry(settings)
    runner = WorkflowRunner(WorkflowDeps(registry=registry, settings=settings))
    graphs = container_graphs()
    samples: dict[str, list[float]] = {name: [] for name in graphs}
    try:
        for app in graphs.values():  # warm-up
            await time_runs(runner, app, 3, False)
        for _ in range(runs):  # interleaved so every graph sees the same load
            for name, app in graphs.items():
                samples[name] += await time_runs(runner, app, 1, False)
    finally:
        await registry.aclose()
    empty = med(samples["empty"])
    plain_node = (med(samples["plain"]) - empty) / CONTAINER_ITEMS
    print(
        f"plain textEditor node: {plain_node * 1e6:7.1f} us "
        f"({CONTAINER_ITEMS} in a chain: {med(samples['plain']) * 1e3:.2f} ms/run; start-only run {empty * 1e3:.2f} ms)"
    )
    for name in ("parallelRun", "loopRun"):
        per_item = (med(samples[name]) - empty) / CONTAINER_ITEMS
        print(
            f"{name:>11} over {CONTAINER_ITEMS} items: {med(samples[name]) * 1e3:7.2f} ms/run = {per_item * 1e6:7.1f} us/item "
            f"= {per_item / plain_node:5.2f}x the plain node run (engine overhead per item "
            f"{(per_item - plain_node) * 1e6:6.1f} us = {(per_item - plain_node) / plain_node:5.2f}x)"
        )


def inputs_bench(runs: int) -> None:
    from pyfastgpt.workflow.node import get_node

    settings = Settings(_env_file=None, local_llm_enabled=False)  # type: ignore[call-arg]
    runner = WorkflowRunner(WorkflowDeps(registry=build_registry(settings), settings=settings))
    per_node = med(asyncio.run(time_runs(runner, graph(30, False), runs, True))) / 30

    cases = {
        "chatNode": {
            "model": "fake-llm",
            "systemPrompt": "",
            "history": 6,
            "quoteQA": None,
            "userChatInput": "hi",
            "temperature": 0,
            "maxToken": 2000,
            "aiChatVision": True,
            "aiChatReasoning": True,
            "isResponseAnswerText": True,
            "fileUrlList": [],
            "aiChatTopP": None,
            "aiChatStopSign": "",
            "aiChatResponseFormat": "",
            "aiChatJsonSchema": "",
            "stringQuoteText": "",
        },
        "textEditor": {"system_addInputParam": {"p": "x"}, "p": "x", "system_textareaInput": "{{p}}."},
        "datasetSearchNode": {
            "datasets": [{"datasetId": "d"}],
            "similarity": 0.4,
            "limit": 5000,
            "searchMode": "embedding",
            "usingReRank": False,
            "datasetSearchUsingExtensionQuery": False,
            "userChatInput": "hi",
            "collectionFilterMatch": "",
            "embeddingWeight": 0.5,
            "rerankWeight": 0.5,
        },
    }
    loops = runs * 100
    for node_type, params in cases.items():
        impl = get_node(node_type)
        assert impl is not None
        impl.read_inputs(params)
        keys = [w.key for w in impl.inputs_type._wires]
        started = time.perf_counter()
        for _ in range(loops):
            impl.read_inputs(params)
        typed = (time.perf_counter() - started) / loops
        started = time.perf_counter()
        for _ in range(loops):
            {key: params.get(key) for key in keys}
        by_key = (time.perf_counter() - started) / loops
        print(
            f"typed inputs {node_type:>17}: {len(keys):>2} fields {typed * 1e6:5.2f} us/node "
            f"= {typed / by_key:4.2f}x reading the same keys with dict.get ({by_key * 1e6:5.2f} us); "
            f"{typed / per_node:6.2%} of one node's engine cost ({per_node * 1e6:.1f} us/node, no-LLM 30-node graph)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--code-runs", type=int, default=20)
    parser.add_argument("--container-runs", type=int, default=30)
    parser.add_argument("--only", choices=["engine", "containers", "code", "inputs"], default=None)
    args = parser.parse_args()
    if args.only in (None, "engine"):
        asyncio.run(engine_bench(args.runs))
    if args.only in (None, "inputs"):
        inputs_bench(args.runs)
    if args.only in (None, "containers"):
        asyncio.run(container_bench(args.container_runs))
    if args.only in (None, "code"):
        asyncio.run(code_bench(args.code_runs))


if __name__ == "__main__":
    main()

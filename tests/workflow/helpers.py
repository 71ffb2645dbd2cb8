"""Small builders for FastGPT stored-format graphs and a runner over real parts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyfastgpt.workflow.events import RunResult, WorkflowDone, WorkflowEvent
from pyfastgpt.workflow.runner import RunInput, WorkflowDeps, WorkflowRunner

APPS = Path(__file__).parent / "apps"


def load_app(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((APPS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def text_query(text: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": {"content": text}}]


def human(text: str) -> dict[str, Any]:
    return {"obj": "Human", "value": text_query(text)}


def ai(text: str) -> dict[str, Any]:
    return {"obj": "AI", "value": [{"type": "text", "text": {"content": text}}]}


def edge(source: str, target: str, source_key: str = "right", kind: str = "source") -> dict[str, Any]:
    return {
        "source": source,
        "sourceHandle": f"{source}-{kind}-{source_key}",
        "target": target,
        "targetHandle": f"{target}-target-left",
    }


def start_node(node_id: str = "start") -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "workflowStart",
        "name": "Start",
        "inputs": [{"key": "userChatInput", "renderTypeList": ["reference", "textarea"], "valueType": "string"}],
        "outputs": [
            {"id": "userChatInput", "key": "userChatInput", "type": "static", "valueType": "string"},
            {"id": "userFiles", "key": "userFiles", "type": "static", "valueType": "arrayString"},
        ],
    }


def answer_node(node_id: str, text: Any, name: str | None = None) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "answerNode",
        "name": name or node_id,
        "inputs": [{"key": "text", "renderTypeList": ["textarea", "reference"], "valueType": "any", "value": text}],
        "outputs": [],
    }


def answer_text(result: RunResult) -> str:
    return "".join(
        (part.get("text") or {}).get("content", "") for part in result.assistant_responses if part.get("type") == "text"
    )


async def run_graph(
    deps: WorkflowDeps, graph: dict[str, Any], run_input: RunInput | None = None
) -> tuple[RunResult, list[WorkflowEvent]]:
    runner = WorkflowRunner(deps)
    events: list[WorkflowEvent] = []
    async for event in runner.run(graph, run_input or RunInput(query=text_query("hi"))):
        events.append(event)
    done = events[-1]
    assert isinstance(done, WorkflowDone)
    return done.result, events

"""Public entry point: `WorkflowRunner.run(graph, run_input)` — an async iterator of events."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pyfastgpt.workflow import nodes as _builtin_nodes  # noqa: F401  (registers built-in nodes)
from pyfastgpt.workflow.context import RunState, WorkflowDeps
from pyfastgpt.workflow.engine import Dispatch, DispatchOutcome
from pyfastgpt.workflow.events import AnswerDelta, InteractiveEvent, RunResult, WorkflowDone, WorkflowEvent
from pyfastgpt.workflow.graph import RuntimeGraph, load_graph
from pyfastgpt.workflow.interactive import public_interactive
from pyfastgpt.workflow.values import value_type_format

__all__ = ["RunInput", "WorkflowDeps", "WorkflowRunner"]


@dataclass
class RunInput:
    app_id: str = ""
    team_id: str = ""
    chat_id: str = ""
    response_chat_item_id: str = ""
    user_id: str = ""
    app_type: str = "advanced"
    query: list[dict[str, Any]] = field(default_factory=list)
    histories: list[dict[str, Any]] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    last_interactive: dict[str, Any] | None = None
    plugin_inputs: dict[str, Any] | None = None
    stream: bool = True
    detail: bool = True
    max_run_times: int | None = None
    timezone: str = "UTC"
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    external_variables: dict[str, Any] = field(default_factory=dict)
    retain_dataset_cite: bool = True  # False: strip `[id](CITE)` markers from model text


def system_time(timezone: str) -> str:
    """`getSystemTime`: ``YYYY-MM-DD HH:mm:ss dddd`` in the user's timezone."""
    try:
        zone = ZoneInfo(timezone)
    except Exception:
        zone = ZoneInfo("UTC")
    return datetime.now(zone).strftime("%Y-%m-%d %H:%M:%S %A")


def chat_config_variables(graph: dict[str, Any]) -> list[dict[str, Any]]:
    config = graph.get("chatConfig") or {}
    variables = config.get("variables")
    if isinstance(variables, list) and variables:
        return [v for v in variables if isinstance(v, dict)]
    for node in graph.get("nodes") or graph.get("modules") or []:
        if isinstance(node, dict) and (node.get("flowNodeType") or node.get("flowType")) == "userGuide":
            for item in node.get("inputs") or []:
                if item.get("key") == "variables" and isinstance(item.get("value"), list):
                    return [v for v in item["value"] if isinstance(v, dict)]
    return []


def initial_variables(graph: dict[str, Any], run_input: RunInput) -> dict[str, Any]:
    """Declared chat variables (request value by label, then key, else default) + system vars."""
    request = run_input.variables or {}
    values: dict[str, Any] = dict(run_input.external_variables)
    for item in chat_config_variables(graph):
        key = item.get("key")
        if not key:
            continue
        label = item.get("label")
        if label is not None and label in request:
            raw = request[label]
        elif key in request:
            raw = request[key]
        else:
            raw = item.get("defaultValue")
        values[key] = value_type_format(raw, item.get("valueType"))
    values.update(
        {
            "userId": run_input.user_id,
            "appId": run_input.app_id,
            "chatId": run_input.chat_id,
            "responseChatItemId": run_input.response_chat_item_id,
            "histories": run_input.histories,
            "cTime": system_time(run_input.timezone),
        }
    )
    return values


def apply_plugin_inputs(graph: RuntimeGraph, inputs: dict[str, Any]) -> None:
    """`updatePluginInputByVariables`: plugin inputs become the pluginInput node's input values."""
    for node in graph.nodes:
        if node.flow_node_type != "pluginInput":
            continue
        for item in node.inputs:
            key = item.get("key")
            if key not in inputs:
                continue
            raw = inputs[key]
            if item.get("valueType") not in ("string", "number", "boolean") and isinstance(raw, str):
                with contextlib.suppress(ValueError):
                    raw = json.loads(raw)
            item["value"] = raw


def restore_outputs(graph: RuntimeGraph, interactive: dict[str, Any]) -> None:
    for saved in interactive.get("nodeOutputs") or []:
        node = graph.node(str(saved.get("nodeId")))
        if node is None:
            continue
        output = node.output_by_key(str(saved.get("key")))
        value = saved.get("value")
        if output is not None and value is not None and value is not False and value != "" and value != 0:
            output.set(value)


def build_runtime_graph(graph: dict[str, Any], interactive: dict[str, Any] | None) -> RuntimeGraph:
    runtime = load_graph(
        graph,
        entry_node_ids=(interactive or {}).get("entryNodeIds") or None,
        memory_edges=(interactive or {}).get("memoryEdges") or None,
    )
    if interactive:
        restore_outputs(runtime, interactive)
    return runtime


class WorkflowRunner:
    def __init__(self, deps: WorkflowDeps) -> None:
        self.deps = deps

    async def run(self, graph: dict[str, Any], run_input: RunInput) -> AsyncIterator[WorkflowEvent]:
        queue: asyncio.Queue[WorkflowEvent | None] = asyncio.Queue()
        task = asyncio.create_task(self._run(graph, run_input, queue.put_nowait))
        try:
            while True:
                event = await queue.get()
                if event is None:
                    break
                yield event
            await task
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def run_to_end(self, graph: dict[str, Any], run_input: RunInput) -> RunResult:
        """Convenience: run and return only the final result."""
        result: RunResult | None = None
        async for event in self.run(graph, run_input):
            if isinstance(event, WorkflowDone):
                result = event.result
        assert result is not None
        return result

    @staticmethod
    async def _until_stopped(dispatch: Dispatch, stop_event: asyncio.Event) -> DispatchOutcome | None:
        """Run the dispatch; if `stop_event` fires first, cancel it (closing any model stream) and return None."""
        work = asyncio.ensure_future(dispatch.execute())
        stop = asyncio.ensure_future(stop_event.wait())
        try:
            await asyncio.wait({work, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not work.done():
                work.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await work
        return None if work.cancelled() else work.result()

    async def _run(self, graph: dict[str, Any], run_input: RunInput, emit: Any) -> None:
        started = time.perf_counter()
        streamed: list[str] = []

        def put(event: WorkflowEvent | None) -> None:
            if isinstance(event, AnswerDelta) and event.content:
                streamed.append(event.content)
            emit(event)

        budget = run_input.max_run_times or self.deps.settings.workflow_max_run_times
        state = RunState(
            deps=self.deps,
            emit=put,
            budget=float(budget),
            max_run_times=float(budget),
            stop_event=run_input.stop_event,
            app_id=run_input.app_id,
            team_id=run_input.team_id,
            user_id=run_input.user_id,
            chat_id=run_input.chat_id,
            response_chat_item_id=run_input.response_chat_item_id,
            timezone=run_input.timezone,
            stream=run_input.stream,
            detail=run_input.detail,
            retain_dataset_cite=run_input.retain_dataset_cite,
        )
        result = RunResult()
        try:
            interactive = run_input.last_interactive
            runtime = build_runtime_graph(graph, interactive)
            variables = initial_variables(graph, run_input)
            if run_input.app_type == "plugin" or run_input.plugin_inputs is not None:
                apply_plugin_inputs(runtime, run_input.plugin_inputs or run_input.variables or {})
            dispatch = Dispatch(
                state,
                runtime,
                variables=variables,
                histories=list(run_input.histories),
                query=run_input.query,
                chat_config=graph.get("chatConfig") or {},
                last_interactive=interactive,
            )
            outcome = await self._until_stopped(dispatch, run_input.stop_event)
            if outcome is None:  # stopped (v2 `/chat/stop`): keep what was answered so far
                result.assistant_responses = [{"type": "text", "text": {"content": "".join(streamed)}}]
            else:
                result = self._result(outcome, state)
                if outcome.interactive is not None:
                    put(InteractiveEvent(interactive=public_interactive(outcome.interactive)))
        except Exception as exc:  # the engine itself failed (bad graph): still end cleanly
            result.error = str(exc) or type(exc).__name__
            result.assistant_responses = [{"type": "text", "text": {"content": ""}}]
        result.duration_seconds = round(time.perf_counter() - started, 2)
        put(WorkflowDone(result=result))
        put(None)

    @staticmethod
    def _result(outcome: DispatchOutcome, state: RunState) -> RunResult:
        error = None
        for response in outcome.flow_responses:
            text = response.get("error") or response.get("errorText")
            if text:
                error = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False)
        if state.budget_exhausted:
            error = f"Workflow stopped: run budget of {state.max_run_times:g} node runs exhausted"
        return RunResult(
            assistant_responses=outcome.assistant_responses,
            flow_responses=outcome.flow_responses,
            usages=outcome.usages,
            new_variables=outcome.new_variables,
            duration_seconds=outcome.duration_seconds,
            error=error,
            custom_feedbacks=list(state.custom_feedbacks),
            total_points=round(sum(u.total_points for u in outcome.usages), 6),
            interactive=outcome.interactive,
            run_times=outcome.run_times,
            memories=outcome.memories,
        )

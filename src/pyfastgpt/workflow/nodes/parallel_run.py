"""`parallelRun` (FastGPT 4.14.11+): run the body once per array item, concurrently, with retries.

FastGPT: `packages/service/core/workflow/dispatch/parallelRun/{runParallelRun,service}.ts`, template
`packages/global/core/workflow/template/system/parallelRun/parallelRun.ts`. The body starts at the
`loopStart` child (item + 1-based index) and ends at the `loopEnd` child, whose `loopEndInput` is the
task's result. Each task (and each retry) runs on its own copy of the graph and of the global
variables; variable updates inside a task are discarded. A task fails when it pauses for user
interaction (not retried), raises, or does not reach `loopEnd`; failures are retried up to
`parallelRunMaxRetryTimes` times and reported per item in `parallelFullResults`.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import UsageItem
from pyfastgpt.workflow.inputs import wire
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, error_text, register_node
from pyfastgpt.workflow.nodes.nested_body import (
    ContainerInputs,
    body_node_ids,
    isolated_graph,
    set_input,
    shown_part,
    summarize,
    wrapper_response,
)
from pyfastgpt.workflow.values import js_number

if TYPE_CHECKING:
    from pyfastgpt.workflow.engine import DispatchOutcome

# the cap used when the deployment setting (WORKFLOW_PARALLEL_MAX_CONCURRENCY) is not a positive number
WORKFLOW_PARALLEL_MAX_CONCURRENCY = 10
DEFAULT_CONCURRENCY = 5
DEFAULT_RETRY_TIMES = 3
MAX_RETRY_TIMES = 5
INTERACTIVE_NOT_SUPPORTED = "workflow:parallel_task_interactive_not_supported"
NOT_REACHED_END = "workflow:parallel_task_not_reach_end"


def clamp_concurrency(requested: Any, cap: Any) -> int:
    """`clampParallelConcurrency`: default 5, floor, at least 1, at most the deployment cap (default 10)."""
    cap_number = None if cap is None else js_number(cap)
    limit = math.floor(cap_number) if cap_number is not None and cap_number > 0 else WORKFLOW_PARALLEL_MAX_CONCURRENCY
    number = None if requested is None else js_number(requested)
    if number is None or not math.isfinite(number):
        return min(DEFAULT_CONCURRENCY, limit)
    return max(1, min(math.floor(number), limit))


def clamp_retry_times(requested: Any) -> int:
    """`clampParallelRetryTimes`: default 3, floor, within [0, 5]."""
    number = None if requested is None else js_number(requested)
    if number is None or not math.isfinite(number):
        return DEFAULT_RETRY_TIMES
    return min(max(math.floor(number), 0), MAX_RETRY_TIMES)


@dataclass
class TaskResult:
    index: int
    response_id: str
    success: bool
    data: Any = None
    error: str | None = None
    outcome: DispatchOutcome | None = None
    usages: list[UsageItem] = field(default_factory=list)
    run_times: float = 0.0
    running_time: float = 0.0


@dataclass(slots=True)
class ParallelRunInputs(ContainerInputs):
    items: Any = wire("loopInputArray")
    max_concurrency: Any = wire("parallelRunMaxConcurrency")
    max_retry_times: Any = wire("parallelRunMaxRetryTimes")


@register_node
class ParallelRunNode(Node[ParallelRunInputs]):
    node_type = "parallelRun"
    inputs_type = ParallelRunInputs

    async def run(self, ctx: NodeContext, inputs: ParallelRunInputs) -> NodeResult:
        items = [] if inputs.items is None else inputs.items
        if not isinstance(items, list):
            raise NodeRunError("Input value is not an array")
        max_length = ctx.settings.workflow_max_loop_times
        if len(items) > max_length:
            raise NodeRunError(f"Input array length cannot be greater than {max_length}")
        cap = ctx.settings.workflow_parallel_max_concurrency
        concurrency = clamp_concurrency(inputs.max_concurrency, cap)
        retries = clamp_retry_times(inputs.max_retry_times)
        children = [str(node_id) for node_id in inputs.children]
        body = body_node_ids(ctx.graph, children)
        gate = asyncio.Semaphore(concurrency)

        async def task(index: int, item: Any) -> TaskResult | None:
            async with gate:
                return await self._run_task(ctx, body, children, index, item, retries)

        finished = await asyncio.gather(*(task(index, item) for index, item in enumerate(items)))
        return _aggregate(ctx, items, [result for result in finished if result is not None])

    @staticmethod
    async def _run_task(
        ctx: NodeContext, body: set[str], children: list[str], index: int, item: Any, retries: int
    ) -> TaskResult | None:
        node_id = ctx.node.node_id
        usages: list[UsageItem] = []
        run_times = 0.0
        last: TaskResult | None = None
        for attempt in range(retries + 1):
            if ctx.run_state.stopped:
                return None
            response_id = f"{node_id}_task_{index}_attempt_{attempt}" if retries > 0 else f"{node_id}_task_{index}"
            graph = isolated_graph(ctx.graph, body)
            for node in graph.nodes:
                if node.node_id in children and node.flow_node_type == "loopStart":
                    node.is_entry = True
                    set_input(node, "loopStartInput", item)
                    set_input(node, "loopStartIndex", index + 1)
            try:
                outcome = await ctx.run_child(graph, variables=dict(ctx.variables), run_plugin_output=False)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                last = TaskResult(index, response_id, False, error=error_text(exc), usages=usages, run_times=run_times)
                continue
            usages.extend(outcome.usages)
            run_times += outcome.run_times
            summary = summarize(outcome.flow_responses)
            result = TaskResult(index, response_id, False, outcome=outcome, usages=usages, run_times=run_times)
            result.running_time = summary.running_time
            if outcome.interactive is not None:  # never succeeds on retry
                result.error = INTERACTIVE_NOT_SUPPORTED
                return result
            if summary.reached_end:
                result.success, result.data = True, summary.end_output
                return result
            result.error = summary.error_text or NOT_REACHED_END
            last = result
        return last


def _aggregate(ctx: NodeContext, items: list[Any], results: list[TaskResult]) -> NodeResult:
    """`aggregateParallelResults`: everything in input order; status over the tasks that ran."""
    results.sort(key=lambda result: result.index)
    successes: list[Any] = []
    full_results: list[dict[str, Any]] = []
    run_detail: list[dict[str, Any]] = []
    wrappers: list[dict[str, Any]] = []
    assistant: list[dict[str, Any]] = []
    usages: list[UsageItem] = []
    run_times = 0.0
    for result in results:
        if result.success:
            successes.append(result.data)
            full_results.append({"success": True, "message": "", "data": result.data})
            run_detail.append({"success": True, "index": result.index, "data": result.data})
        else:
            full_results.append({"success": False, "message": result.error or "", "data": None})
            run_detail.append({"success": False, "index": result.index, "error": result.error})
        usages.extend(result.usages)
        run_times += result.run_times
        children = result.outcome.flow_responses if result.outcome else []
        wrappers.append(
            wrapper_response(
                response_id=result.response_id,
                module_type="parallelRun",
                index=result.index + 1,
                input_value=items[result.index],
                output_value=result.data if result.success else None,
                error=None if result.success else result.error,
                total_points=sum(usage.total_points for usage in result.usages),
                children=children,
                running_time=result.running_time,
            )
        )
        if result.outcome is not None:
            assistant.extend(part for part in result.outcome.assistant_responses if shown_part(part))
    succeeded = len(successes)
    status = "success" if succeeded == len(results) else "failed" if succeeded == 0 else "partial_success"
    return NodeResult(
        data={"parallelSuccessResults": successes, "parallelFullResults": full_results, "parallelStatus": status},
        assistant_responses=assistant,
        usages=usages,
        child_run_times=run_times,
        response={
            "totalPoints": sum(usage.total_points for usage in usages),
            "parallelInput": items,
            "parallelResult": successes,
            "parallelRunDetail": run_detail,
            "parallelDetail": wrappers,
            "mergeSignId": ctx.node.node_id,
        },
    )

"""Events a workflow run yields, in order, ending with `WorkflowDone`.

The chat service maps them onto FastGPT's SSE events:

    NodeStatus          -> flowNodeStatus {"status":"running","name"}
    AnswerDelta         -> answer / fastAnswer (fast=True) chunk
    ToolCallEvent       -> toolCall {"tool": {...}}
    ToolParamsEvent     -> toolParams {"tool": {"id","params"}}
    ToolResponseEvent   -> toolResponse {"tool": {"id","response"}}
    VariablesUpdated    -> updateVariables
    InteractiveEvent    -> interactive {"interactive": {type, params}}
    NodeResponse        -> flowNodeResponse (v2)
    WorkflowDone        -> end of run (workflowDuration, persistence, flowResponses for v1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.ai.usage import UsageItem

__all__ = ["UsageItem"]  # re-exported for nodes and the chat service


@dataclass(frozen=True, slots=True)
class NodeStatus:
    node_id: str
    name: str


@dataclass(frozen=True, slots=True)
class AnswerDelta:
    content: str = ""
    reasoning_content: str = ""
    fast: bool = False


@dataclass(frozen=True, slots=True)
class ToolCallEvent:
    tool: dict[str, Any]  # {"id","toolName","toolAvatar","params":"","response":"","functionName"}


@dataclass(frozen=True, slots=True)
class ToolParamsEvent:
    tool: dict[str, Any]  # {"id","toolName":"","toolAvatar":"","params":<delta>,"response":""}


@dataclass(frozen=True, slots=True)
class ToolResponseEvent:
    tool: dict[str, Any]  # {"id","toolName":"","toolAvatar":"","params":"","response":<text>}


@dataclass(frozen=True, slots=True)
class VariablesUpdated:
    variables: dict[str, Any]


@dataclass(frozen=True, slots=True)
class InteractiveEvent:
    interactive: dict[str, Any]  # public {type, params} of the deepest interaction


@dataclass(frozen=True, slots=True)
class NodeResponse:
    response: dict[str, Any]


@dataclass(slots=True)
class RunResult:
    assistant_responses: list[dict[str, Any]] = field(default_factory=list)
    flow_responses: list[dict[str, Any]] = field(default_factory=list)
    usages: list[UsageItem] = field(default_factory=list)
    new_variables: dict[str, Any] = field(default_factory=dict)
    duration_seconds: float = 0.0
    error: str | None = None
    custom_feedbacks: list[str] = field(default_factory=list)
    total_points: float = 0.0
    interactive: dict[str, Any] | None = None
    run_times: float = 0.0
    memories: dict[str, Any] = field(default_factory=dict)  # FastGPT `system_memories`: store on the AI item


@dataclass(frozen=True, slots=True)
class WorkflowDone:
    result: RunResult


WorkflowEvent = (
    NodeStatus
    | AnswerDelta
    | ToolCallEvent
    | ToolParamsEvent
    | ToolResponseEvent
    | VariablesUpdated
    | InteractiveEvent
    | NodeResponse
    | WorkflowDone
)

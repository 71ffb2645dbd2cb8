"""Run-wide state shared by nested dispatches, and the context handed to a node's `run`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyfastgpt.ai.protocols import ModelRegistry
from pyfastgpt.core.config import Settings
from pyfastgpt.workflow.events import WorkflowEvent
from pyfastgpt.workflow.graph import RuntimeGraph, RuntimeNode
from pyfastgpt.workflow.ports import AppLoader, DatasetSearch, FileReader, ImageResolver

if TYPE_CHECKING:
    from pyfastgpt.workflow.engine import Dispatch, DispatchOutcome


@dataclass
class WorkflowDeps:
    """Everything the engine gets from outside."""

    registry: ModelRegistry
    dataset_search: DatasetSearch | None = None
    app_loader: AppLoader | None = None
    settings: Settings = field(default_factory=Settings)
    file_reader: FileReader | None = None
    image_inliner: ImageResolver | None = None


@dataclass
class RunState:
    """State of one `runner.run()` call, shared by the root dispatch and every child."""

    deps: WorkflowDeps
    emit: Callable[[WorkflowEvent], None]
    budget: float
    stop_event: asyncio.Event
    max_run_times: float = 0.0
    app_id: str = ""
    team_id: str = ""
    user_id: str = ""
    chat_id: str = ""
    response_chat_item_id: str = ""
    timezone: str = "UTC"
    stream: bool = True
    detail: bool = True
    budget_exhausted: bool = False
    retain_dataset_cite: bool = True
    custom_feedbacks: list[str] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        return self.stop_event.is_set()


@dataclass
class NodeContext:
    """What a node sees while it runs."""

    node: RuntimeNode
    params: dict[str, Any]
    dispatch: Dispatch

    @property
    def run_state(self) -> RunState:
        return self.dispatch.run

    @property
    def deps(self) -> WorkflowDeps:
        return self.dispatch.run.deps

    @property
    def settings(self) -> Settings:
        return self.dispatch.run.deps.settings

    @property
    def registry(self) -> ModelRegistry:
        return self.dispatch.run.deps.registry

    @property
    def variables(self) -> dict[str, Any]:
        return self.dispatch.variables

    @property
    def histories(self) -> list[dict[str, Any]]:
        return self.dispatch.histories

    @property
    def query(self) -> list[dict[str, Any]]:
        return self.dispatch.query

    @property
    def graph(self) -> RuntimeGraph:
        return self.dispatch.graph

    @property
    def last_interactive(self) -> dict[str, Any] | None:
        return self.dispatch.last_interactive

    @property
    def is_tool_call(self) -> bool:
        return self.dispatch.is_tool_call

    @property
    def chat_config(self) -> dict[str, Any]:
        return self.dispatch.chat_config

    def emit(self, event: WorkflowEvent) -> None:
        self.dispatch.run.emit(event)

    async def run_child(self, graph: RuntimeGraph, **kwargs: Any) -> DispatchOutcome:
        """Run a nested workflow (child app, plugin, loop body, tool branch) one level deeper."""
        return await self.dispatch.child(graph, **kwargs).execute()

"""The node extension point: a small class per node type, registered by `flowNodeType`.

A built-in node registers exactly the way a third-party one would::

    @dataclass(slots=True)
    class AnswerInputs(NodeInputs):
        text: Any = wire("text", "")

    @register_node
    class AnswerNode(Node[AnswerInputs]):
        node_type = "answerNode"
        inputs_type = AnswerInputs
        async def run(self, ctx: NodeContext, inputs: AnswerInputs) -> NodeResult: ...

The engine converts the node's parameters to `inputs_type` once per run (`workflow.inputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pyfastgpt.workflow.events import UsageItem
from pyfastgpt.workflow.inputs import NodeInputs, NoInputs

if TYPE_CHECKING:
    from pyfastgpt.workflow.context import NodeContext

ERROR_TEXT_KEY = "system_error_text"


@dataclass(slots=True)
class NodeResult:
    """What a node returns (FastGPT's `DispatchNodeResultType`)."""

    data: dict[str, Any] | None = None  # output values by output key
    error: dict[str, Any] | None = None  # error outputs; presence selects the catch branch
    response: dict[str, Any] | None = None  # the node response (ChatHistoryItemResType fields)
    usages: list[UsageItem] | None = None
    skip_handle_ids: list[str] | None = None
    interactive: dict[str, Any] | None = None
    new_variables: dict[str, Any] | None = None
    assistant_responses: list[dict[str, Any]] | None = None
    tool_responses: Any = None
    rewrite_histories: list[dict[str, Any]] | None = None
    run_times: float = 1.0  # charged to the run budget
    child_run_times: float = 0.0
    memories: dict[str, Any] | None = (
        None  # stored on the AI chat item (`memories`), read next round  # runs of nested dispatches (already charged by them), for reporting
    )
    extra: dict[str, Any] = field(default_factory=dict)


def node_error(
    error: BaseException | str,
    *,
    custom_error: dict[str, Any] | None = None,
    custom_response: dict[str, Any] | None = None,
) -> NodeResult:
    """`getNodeErrResponse`: an error result that routes to the catch branch when enabled."""
    text = error_text(error)
    return NodeResult(
        error={ERROR_TEXT_KEY: text, **(custom_error or {})},
        response={"errorText": text, **(custom_response or {})},
        tool_responses={"error": text, **(custom_error or {})},
    )


def error_text(error: BaseException | str) -> str:
    if isinstance(error, str):
        return error
    text = str(error)
    return text or type(error).__name__


InputsT = TypeVar("InputsT", bound=NodeInputs)


class Node(Generic[InputsT]):
    """Base class of node implementations; one instance serves every run."""

    node_type: ClassVar[str] = ""
    inputs_type: type[InputsT]

    async def run(self, ctx: NodeContext, inputs: InputsT) -> NodeResult:
        raise NotImplementedError

    def read_inputs(self, params: dict[str, Any]) -> InputsT:
        return self.inputs_type.from_params(params)


class UnsupportedNode(Node[NoInputs]):
    """A known FastGPT type this engine does not run (lafModule)."""

    inputs_type = NoInputs

    def __init__(self, node_type: str) -> None:
        self.unsupported_type = node_type

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        raise NodeRunError(f"Node type '{self.unsupported_type}' is not supported by this server")


class NodeRunError(Exception):
    """A node failed with a message meant for the user."""


_REGISTRY: dict[str, Node[Any]] = {}
N = TypeVar("N", bound=type[Node[Any]])


def register_node(cls: N) -> N:
    """Class decorator: register a node class under its `node_type` (and `aliases`)."""
    if not isinstance(getattr(cls, "inputs_type", None), type):
        raise TypeError(f"{cls.__name__} declares no inputs_type (use NoInputs when it reads none)")
    instance = cls()
    names = [cls.node_type, *getattr(cls, "aliases", ())]
    for name in names:
        if not name:
            raise ValueError(f"{cls.__name__} has no node_type")
        _REGISTRY[name] = instance
    return cls


def get_node(node_type: str) -> Node[Any] | None:
    return _REGISTRY.get(node_type)


def registered_types() -> list[str]:
    return sorted(_REGISTRY)


def unregister_node(node_type: str) -> None:
    _REGISTRY.pop(node_type, None)


NodeFactory = Callable[[], Node[Any]]

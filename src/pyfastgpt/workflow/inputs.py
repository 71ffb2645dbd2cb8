"""Typed node inputs: each node declares what it reads, under FastGPT's wire names, once.

A node's inputs are a small dataclass whose fields say which `inputs[].key` they come from and what
stands in when the key is absent::

    @dataclass(slots=True)
    class ChatInputs(NodeInputs):
        vision: bool = wire("aiChatVision", True)
        system_prompt: str = wire("systemPrompt", "", or_default=True)
        quotes: list[Any] = wire("quoteQA", factory=list)

The engine builds the instance from the node's resolved parameters (`getNodeRunParams`) before
`Node.run(ctx, inputs)`; a node never looks keys up by string. `or_default=True` mirrors
JavaScript's `value || default` (any falsy value takes the default); without it only a missing key
does, as a destructuring default would. Keys a node does not know in advance (`addInputParam`
inputs, a tool's or plugin's own fields) stay in `ctx.params`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

_MISSING: Any = object()


@dataclasses.dataclass(frozen=True, slots=True)
class _Wire:
    attr: str
    key: str
    default: Any
    factory: Callable[[], Any] | None
    or_default: bool

    def value(self, params: Mapping[str, Any]) -> Any:
        value = params.get(self.key, _MISSING)
        if value is _MISSING or (self.or_default and not value):
            return self.factory() if self.factory is not None else self.default
        return value


def wire(key: str, default: Any = None, *, factory: Callable[[], Any] | None = None, or_default: bool = False) -> Any:
    """A field read from the input with FastGPT key `key` (see the module docstring)."""
    metadata = {"wire": key, "or_default": or_default}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata={**metadata, "factory": factory})
    return dataclasses.field(default=default, metadata=metadata)


Inputs = TypeVar("Inputs", bound="NodeInputs")


class NodeInputs:
    """Base of every node's inputs dataclass."""

    __slots__ = ()
    _wires: ClassVar[tuple[_Wire, ...]] = ()

    @classmethod
    def from_params(cls: type[Inputs], params: Mapping[str, Any]) -> Inputs:
        wires = cls.__dict__.get("_wires")
        if wires is None:
            wires = _compile(cls)
        return cls(**{w.attr: w.value(params) for w in wires})


def _compile(cls: type[NodeInputs]) -> tuple[_Wire, ...]:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} must be a dataclass")
    wires: list[_Wire] = []
    for item in dataclasses.fields(cls):
        if "wire" not in item.metadata:
            raise TypeError(f"{cls.__name__}.{item.name} is not declared with wire()")
        default = None if item.default is dataclasses.MISSING else item.default
        wires.append(
            _Wire(
                attr=item.name,
                key=item.metadata["wire"],
                default=default,
                factory=item.metadata.get("factory"),
                or_default=bool(item.metadata["or_default"]),
            )
        )
    compiled = tuple(wires)
    cls._wires = compiled  # cached on the class itself (subclasses compile their own)
    return compiled


@dataclasses.dataclass(slots=True)
class NoInputs(NodeInputs):
    """For nodes that read nothing, or only dynamic inputs from `ctx.params`."""

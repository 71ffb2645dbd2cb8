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


@dataclasses.dataclass(frozen=True, slots=True)
class _Wire:
    attr: str
    key: str
    default: Any
    factory: Callable[[], Any] | None
    or_default: bool

    def expression(self, index: int) -> str:
        """Python source reading this field from `p` (defaults bound as `d<index>`, factories as `f<index>`)."""
        key = repr(self.key)
        fallback = f"f{index}()" if self.factory is not None else f"d{index}"
        if self.or_default:
            return f"(p.get({key}) or {fallback})"
        if self.factory is not None:
            return f"(p[{key}] if {key} in p else {fallback})"
        return f"p.get({key}, {fallback})"


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
    _reader: ClassVar[Callable[[Mapping[str, Any]], Any]]

    @classmethod
    def from_params(cls: type[Inputs], params: Mapping[str, Any]) -> Inputs:
        reader = cls.__dict__.get("_reader")
        if reader is None:
            reader = _compile(cls)
        result: Inputs = reader(params)
        return result


def _compile(cls: type[NodeInputs]) -> Callable[[Mapping[str, Any]], Any]:
    """One generated function per class that reads every field in a single call (as dataclasses
    generates `__init__`): converting a node's inputs costs about what the `dict.get`s it replaces did."""
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
    namespace: dict[str, Any] = {"cls": cls}
    for index, item_wire in enumerate(wires):
        namespace[f"d{index}"] = item_wire.default
        namespace[f"f{index}"] = item_wire.factory
    arguments = ", ".join(f"{w.attr}={w.expression(i)}" for i, w in enumerate(wires))
    exec(f"def read(p):\n    return cls({arguments})\n", namespace)
    reader: Callable[[Mapping[str, Any]], Any] = namespace["read"]
    cls._wires = tuple(wires)  # cached on the class itself (subclasses compile their own)
    cls._reader = reader
    return reader


@dataclasses.dataclass(slots=True)
class NoInputs(NodeInputs):
    """For nodes that read nothing, or only dynamic inputs from `ctx.params`."""

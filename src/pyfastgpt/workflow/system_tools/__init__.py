"""Built-in system tools: FastGPT's `community-*` / `systemTool-*` plugins, one module per tool.

The extension point mirrors the nodes': a tool class registers itself with `register_tool`, and a
third-party tool registers the same way. Workflow nodes find a tool with `get_tool(tool_id)`, which
accepts every id form FastGPT apps store (`community-getTime`, `systemTool-getTime`, `getTime`, ...)
and run it with `run_system_tool` (`runner.py`), which builds FastGPT's node result.

Importing this package registers every built-in tool listed in `DEFAULT_TOOL_MODULES`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pyfastgpt.workflow.node import NodeRunError

if TYPE_CHECKING:
    from pyfastgpt.workflow.context import NodeContext


class SystemTool:
    """One built-in tool. `run` returns output values by FastGPT output key; it raises
    `pyfastgpt.workflow.node.NodeRunError` with FastGPT's message for user errors."""

    tool_id: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    name: ClassVar[str] = ""
    intro: ClassVar[str] = ""
    # the old callback answered its failure as `{result: message}` instead of failing the node
    callback_errors_as_result: ClassVar[bool] = False
    avatar: ClassVar[str] = ""  # FastGPT's icon key, shown as the node response's `moduleLogo`

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    async def run_callback(self, ctx: NodeContext, body: dict[str, Any]) -> Any:
        """The 4.8–4.9 plugin callback (`systemPluginCb[name](body)`) that an HTTP node whose URL is
        the tool's name runs; the same as `run` unless the old callback answered another shape."""
        if not self.callback_errors_as_result:
            return await self.run(ctx, body)
        try:
            return await self.run(ctx, body)
        except NodeRunError as exc:
            return {"result": str(exc)}


_TOOLS: dict[str, SystemTool] = {}
T = TypeVar("T", bound=type[SystemTool])

SYSTEM_TOOL_PREFIXES = ("community-", "systemTool-", "commercial-")


def normalize_tool_id(tool_id: str) -> str:
    """`community-getTime`, `systemTool-getTime`, `commercial-x` → the bare tool name."""
    for prefix in SYSTEM_TOOL_PREFIXES:
        if tool_id.startswith(prefix):
            return tool_id[len(prefix) :]
    return tool_id


def is_system_tool_id(tool_id: str) -> bool:
    """True for ids FastGPT routes to its system tools without looking for an app
    (`splitCombinePluginId`: `community-*`, `systemTool-*`, `commercial-*`)."""
    return tool_id.startswith(SYSTEM_TOOL_PREFIXES)


def register_tool(cls: T) -> T:
    instance = cls()
    for name in (cls.tool_id, *cls.aliases):
        if not name:
            raise ValueError(f"{cls.__name__} has no tool_id")
        _TOOLS[normalize_tool_id(name)] = instance
    return cls


def get_tool(tool_id: str) -> SystemTool | None:
    return _TOOLS.get(normalize_tool_id(tool_id))


def registered_tools() -> list[str]:
    return sorted(_TOOLS)


DEFAULT_TOOL_MODULES: tuple[str, ...] = (
    "get_time",
    "fetch_url",
    "math_expr",
    "delay",
    "text_editor",
    "history_to_md",
    "dingtalk_webhook",
    "wework_webhook",
    "feishu_webhook",
    "searxng",
    "duckduckgo",
    "wikipedia",
    "database_connection",
)

for _module in DEFAULT_TOOL_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

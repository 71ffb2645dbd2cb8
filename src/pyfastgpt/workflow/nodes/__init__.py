"""Built-in nodes. Importing this package registers them through the public `register_node`
extension point, exactly as a third-party node module would (`DEFAULT_NODE_MODULES`)."""

from __future__ import annotations

import importlib

from pyfastgpt.workflow.node import _REGISTRY, UnsupportedNode

DEFAULT_NODE_MODULES: tuple[str, ...] = (
    "workflow_start",
    "noop",
    "answer",
    "text_editor",
    "custom_feedback",
    "if_else",
    "variable_update",
    "user_select",
    "form_input",
    "plugin_io",
    "chat",
    "classify_question",
    "content_extract",
    "query_extension",
    "code",
    "http_request",
    "dataset",
    "loop",
    "child_app",
    "read_files",
    "tools",
)

# Known FastGPT types this engine refuses with a clear node error.
UNSUPPORTED_TYPES: tuple[str, ...] = (
    "agent",
    "toolSet",
    "tool",
    "parallelRun",
    "loopRun",
    "loopRunStart",
    "loopRunBreak",
    "lafModule",
    "app",
    "runApp",
)

for _module in DEFAULT_NODE_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

for _type in UNSUPPORTED_TYPES:
    _REGISTRY.setdefault(_type, UnsupportedNode(_type))

"""Which code runs each FastGPT node type (FastGPT's `callbackMap`): one table, `flowNodeType` →
module under `workflow/nodes/`, `None` for a type this server knows and refuses with a node error.

Importing this package imports every module in the table; each registers its classes through the
public `register_node` extension point, exactly as a third-party node module would. A type that is
neither in the table nor registered by a plugin is refused when the app is saved.
"""

from __future__ import annotations

import importlib

from pyfastgpt.workflow.node import _REGISTRY, UnsupportedNode

NODE_MODULES: dict[str, str | None] = {
    # entry, configuration and canvas-only nodes
    "workflowStart": "workflow_start",
    "userGuide": "noop",
    "systemConfig": "noop",
    "pluginConfig": "noop",
    "globalVariable": "noop",
    "comment": "noop",
    "emptyNode": "noop",
    "pluginInput": "plugin_io",
    "pluginOutput": "plugin_io",
    # answers and text
    "answerNode": "answer",
    "textEditor": "text_editor",
    "customFeedback": "custom_feedback",
    "readFiles": "read_files",
    # model nodes
    "chatNode": "chat",
    "classifyQuestion": "classify_question",
    "contentExtract": "content_extract",
    "cfr": "query_extension",
    "queryExtension": "query_extension",
    "tools": "tools",
    "toolParams": "tools",
    "stopTool": "tools",
    "agent": "agent",
    # knowledge base
    "datasetSearchNode": "dataset",
    "datasetConcatNode": "dataset",
    # logic and data
    "ifElseNode": "if_else",
    "variableUpdate": "variable_update",
    "code": "code",
    "httpRequest468": "http_request",
    # interactive
    "userSelect": "user_select",
    "formInput": "form_input",
    # nested runs
    "loop": "loop",
    "loopStart": "loop",
    "loopEnd": "loop",
    "parallelRun": "parallel_run",
    "loopRun": "loop_run",
    "loopRunStart": "loop_run",
    "loopRunBreak": "loop_run",
    # other apps and tools
    "appModule": "child_app",
    "app": "child_app",
    "pluginModule": "child_app",
    "tool": "tool",
    "toolSet": "tool",
    # known, refused: Laf cloud functions need a Laf account and its SDK (FastGPT ≤ 4.11)
    "lafModule": None,
}

for _module in dict.fromkeys(m for m in NODE_MODULES.values() if m is not None):
    importlib.import_module(f"{__name__}.{_module}")

for _type, _refused in NODE_MODULES.items():
    if _refused is None:
        _REGISTRY.setdefault(_type, UnsupportedNode(_type))


def is_known_node_type(node_type: str) -> bool:
    """In the table, or registered by a third-party node module."""
    return node_type in NODE_MODULES or node_type in _REGISTRY

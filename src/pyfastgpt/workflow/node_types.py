"""FastGPT's node types (`FlowNodeTypeEnum`) as stored in app JSON."""

from __future__ import annotations

# Types this engine runs, plus UI/no-op types it accepts and types it knows but refuses to run.
RUNNABLE_NODE_TYPES: frozenset[str] = frozenset(
    {
        "workflowStart",
        "chatNode",
        "datasetSearchNode",
        "datasetConcatNode",
        "answerNode",
        "classifyQuestion",
        "contentExtract",
        "cfr",
        "httpRequest468",
        "ifElseNode",
        "variableUpdate",
        "textEditor",
        "customFeedback",
        "readFiles",
        "code",
        "userSelect",
        "formInput",
        "tools",
        "toolParams",
        "stopTool",
        "pluginInput",
        "pluginOutput",
        "pluginModule",
        "appModule",
        "app",
        "loop",
        "loopStart",
        "loopEnd",
        "lafModule",
        "tool",
        "toolSet",
        "agent",
        "parallelRun",
        "loopRun",
        "loopRunStart",
        "loopRunBreak",
        "runApp",
        "queryExtension",
    }
)
NOOP_NODE_TYPES: frozenset[str] = frozenset(
    {"userGuide", "systemConfig", "pluginConfig", "globalVariable", "comment", "emptyNode"}
)
KNOWN_NODE_TYPES: frozenset[str] = RUNNABLE_NODE_TYPES | NOOP_NODE_TYPES

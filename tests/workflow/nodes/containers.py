"""Builders for FastGPT container nodes (parallelRun, loopRun) and the body nodes the tests use,
in FastGPT's stored format (`parentNodeId`, `childrenNodeIdList`, `loopStart`/`loopEnd`,
`loopRunStart`/`loopRunBreak`)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from tests.workflow.helpers import edge

Ref = list[str]


def _input(key: str, value: Any, value_type: str = "any", render: str = "hidden", **extra: Any) -> dict[str, Any]:
    return {"key": key, "renderTypeList": [render], "valueType": value_type, "label": key, "value": value, **extra}


def _children_inputs(children: list[str]) -> list[dict[str, Any]]:
    return [
        _input("childrenNodeIdList", children, "arrayString"),
        _input("nodeWidth", 900, "number"),
        _input("nodeHeight", 400, "number"),
    ]


def parallel_run(
    node_id: str, items: Any, children: list[str], *, concurrency: Any = 5, retries: Any = 3
) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "parallelRun",
        "name": "Parallel",
        "showStatus": True,
        "inputs": [
            _input("loopInputArray", items, "arrayAny", "reference", required=True),
            _input("parallelRunMaxConcurrency", concurrency, "number", "numberInput", required=True),
            _input("parallelRunMaxRetryTimes", retries, "number", "numberInput", required=True),
            *_children_inputs(children),
        ],
        "outputs": [
            {"id": key, "key": key, "type": "static", "valueType": value_type}
            for key, value_type in (
                ("parallelSuccessResults", "arrayAny"),
                ("parallelFullResults", "arrayObject"),
                ("parallelStatus", "string"),
            )
        ],
    }


def loop_start(node_id: str, parent: str) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "parentNodeId": parent,
        "flowNodeType": "loopStart",
        "name": "Start",
        "inputs": [
            _input("loopStartInput", "", "any", required=True),
            _input("loopStartIndex", "", "number", required=True),
        ],
        "outputs": [
            {"id": "loopStartInput", "key": "loopStartInput", "type": "static", "valueType": "any"},
            {"id": "loopStartIndex", "key": "loopStartIndex", "type": "static", "valueType": "number"},
        ],
    }


def loop_end(node_id: str, parent: str, value: Ref) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "parentNodeId": parent,
        "flowNodeType": "loopEnd",
        "name": "End",
        "inputs": [_input("loopEndInput", value, "any", "reference", required=True)],
        "outputs": [],
    }


def loop_run(
    node_id: str,
    children: list[str],
    *,
    mode: str = "array",
    items: Any = None,
    outputs: dict[str, tuple[Ref, str]] | None = None,
) -> dict[str, Any]:
    """`outputs`: custom output key -> (reference into the body, valueType)."""
    declared = outputs or {}
    return {
        "nodeId": node_id,
        "flowNodeType": "loopRun",
        "name": "Loop",
        "showStatus": True,
        "catchError": False,
        "inputs": [
            _input("loopRunMode", mode, "string", "select", required=True),
            _input("loopRunInputArray", [] if items is None else items, "arrayAny", "reference", required=True),
            _input("loopCustomOutputs", None, "dynamic", "addInputParam"),
            *[_input(key, ref, value_type, "reference", canEdit=True) for key, (ref, value_type) in declared.items()],
            *_children_inputs(children),
        ],
        "outputs": [
            {"id": "system_error_text", "key": "system_error_text", "type": "error", "valueType": "string"},
            *[
                {"id": key, "key": key, "type": "dynamic", "valueType": value_type}
                for key, (_ref, value_type) in declared.items()
            ],
        ],
    }


def loop_run_start(node_id: str, parent: str) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "parentNodeId": parent,
        "flowNodeType": "loopRunStart",
        "name": "Loop start",
        "inputs": [
            _input("loopRunMode", "array", "string"),
            _input("loopStartInput", "", "any"),
            {"key": "loopStartIndex", "renderTypeList": ["hidden"], "valueType": "number", "label": ""},
        ],
        "outputs": [
            {"id": key, "key": key, "type": "static", "valueType": value_type}
            for key, value_type in (("currentIndex", "number"), ("currentItem", "any"), ("currentIteration", "number"))
        ],
    }


def loop_run_break(node_id: str, parent: str) -> dict[str, Any]:
    return {"nodeId": node_id, "parentNodeId": parent, "flowNodeType": "loopRunBreak", "name": "Break"}


def text_editor(node_id: str, parent: str | None, template: str, refs: dict[str, Ref]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "nodeId": node_id,
        "flowNodeType": "textEditor",
        "name": node_id,
        "inputs": [
            _input("system_addInputParam", {}, "dynamic", "addInputParam"),
            *[_input(key, ref, "any", "reference", canEdit=True) for key, ref in refs.items()],
            _input("system_textareaInput", template, "string", "textarea"),
        ],
        "outputs": [{"id": "system_text", "key": "system_text", "type": "static", "valueType": "string"}],
    }
    if parent:
        node["parentNodeId"] = parent
    return node


def http_get(
    node_id: str, parent: str, url: str, refs: dict[str, Ref], query: dict[str, str] | None = None
) -> dict[str, Any]:
    """GET `url` with `query` (templated with `refs`); the JSON field `value` becomes the output `value`."""
    params = [{"key": key, "type": "string", "value": value} for key, value in (query or {}).items()]
    return {
        "nodeId": node_id,
        "parentNodeId": parent,
        "flowNodeType": "httpRequest468",
        "name": node_id,
        "catchError": False,
        "inputs": [
            _input("system_addInputParam", {}, "dynamic", "addInputParam"),
            *[_input(key, ref, "any", "reference", canEdit=True) for key, ref in refs.items()],
            _input("system_httpMethod", "GET", "string", "custom"),
            _input("system_httpTimeout", 10, "number", "custom"),
            _input("system_httpReqUrl", url, "string"),
            _input("system_httpHeader", [], "any", "custom"),
            _input("system_httpParams", params, "any"),
            _input("system_httpJsonBody", "", "any"),
            _input("system_httpContentType", "none", "string"),
        ],
        "outputs": [
            {"id": "error", "key": "error", "type": "error", "valueType": "string"},
            {"id": "httpRawResponse", "key": "httpRawResponse", "type": "static", "valueType": "any"},
            {"id": "value", "key": "value", "type": "dynamic", "valueType": "any"},
        ],
    }


def if_else(node_id: str, parent: str, left: Ref, condition: str, right: str) -> dict[str, Any]:
    groups = [{"condition": "AND", "list": [{"variable": left, "condition": condition, "value": right}]}]
    return {
        "nodeId": node_id,
        "parentNodeId": parent,
        "flowNodeType": "ifElseNode",
        "name": node_id,
        "inputs": [_input("ifElseList", groups)],
        "outputs": [{"id": "ifElseResult", "key": "ifElseResult", "type": "static", "valueType": "string"}],
    }


def set_variable(node_id: str, parent: str, key: str, template: str) -> dict[str, Any]:
    update = [{"variable": ["VARIABLE_NODE_ID", key], "value": ["", template], "valueType": "string"}]
    return {
        "nodeId": node_id,
        "parentNodeId": parent,
        "flowNodeType": "variableUpdate",
        "name": node_id,
        "inputs": [_input("updateList", update)],
        "outputs": [],
    }


def user_select(node_id: str, parent: str, description: str, options: list[str]) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "parentNodeId": parent,
        "flowNodeType": "userSelect",
        "name": node_id,
        "inputs": [
            _input("description", description, "string", "textarea"),
            _input("userSelectOptions", [{"key": option, "value": option} for option in options], "any", "custom"),
        ],
        "outputs": [{"id": "selectResult", "key": "selectResult", "type": "static", "valueType": "string"}],
    }


def variables(**defaults: tuple[str, str]) -> dict[str, Any]:
    """chatConfig with declared variables: key -> (valueType, defaultValue)."""
    return {
        "variables": [
            {"key": key, "label": key, "type": "custom", "valueType": value_type, "defaultValue": default}
            for key, (value_type, default) in defaults.items()
        ]
    }


def chain(*node_ids: str) -> list[dict[str, Any]]:
    """Edges node1 -> node2 -> ... over the default handles."""
    return [edge(source, target) for source, target in pairwise(node_ids)]

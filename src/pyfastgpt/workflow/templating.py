"""The one resolver for `{{key}}`, `{{$nodeId.outputId$}}` and `[nodeId, outputId]` references."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pyfastgpt.workflow.graph import RuntimeGraph
from pyfastgpt.workflow.values import (
    VARIABLE_NODE_ID,
    format_variable_by_type,
    is_reference,
    val_to_str,
)

_NODE_VAR = re.compile(r"\{\{\$([^.]+)\.([^$]+)\$\}\}")
_SIMPLE_VAR = re.compile(r"\{\{([^{}]+?)\}\}")


def replace_variable(text: Any, values: Mapping[str, Any]) -> Any:
    """`replaceVariable`: every `{{key}}` whose key is in `values` becomes its text form."""
    if not isinstance(text, str):
        return text
    if "{{" not in text:
        return text

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in values:
            return val_to_str(values[key])
        return match.group(0)

    return _SIMPLE_VAR.sub(substitute, text)


def reference_value(value: Any, graph: RuntimeGraph, variables: Mapping[str, Any]) -> Any:
    """`getReferenceVariableValue`: resolve `[nodeId, outputId]` or a list of such pairs."""
    if not value:
        return value
    if is_reference(value):
        source_id, output_id = value[0], value[1]
        if source_id == VARIABLE_NODE_ID:
            if not output_id:
                return None
            return variables.get(output_id)
        node = graph.node(source_id)
        if node is None:
            return value
        output = node.output_by_id(str(output_id)) if output_id is not None else None
        return output.value if output is not None else None
    if isinstance(value, list) and value and all(is_reference(item) for item in value):
        result: list[Any] = []
        for item in value:
            resolved = reference_value(item, graph, variables)
            if isinstance(resolved, list):
                result.extend(x for x in resolved if x is not None)
            elif resolved is not None:
                result.append(resolved)
        return result
    return value


def replace_editor_variable(text: Any, graph: RuntimeGraph, variables: Mapping[str, Any]) -> Any:
    """`replaceEditorVariable`: global `{{key}}` first, then `{{$nodeId.outputId$}}`."""
    if not isinstance(text, str):
        return text
    text = replace_variable(text, variables)
    if "{{$" not in text:
        return text

    def substitute(match: re.Match[str]) -> str:
        node_id, output_id = match.group(1), match.group(2)
        return val_to_str(_node_variable(node_id, output_id, graph, variables))

    return _NODE_VAR.sub(substitute, text)


def _node_variable(node_id: str, output_id: str, graph: RuntimeGraph, variables: Mapping[str, Any]) -> Any:
    if node_id == VARIABLE_NODE_ID:
        return variables.get(output_id)
    node = graph.node(node_id)
    if node is None:
        return None
    output = node.output_by_id(output_id)
    if output is not None:
        return format_variable_by_type(output.value, output.value_type)
    item = node.input(output_id)
    if item is not None:
        return reference_value(item.get("value"), graph, variables)
    return None

"""`ifElseNode`: evaluate condition groups in order; the first true one picks the branch."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.graph import handle_id
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node
from pyfastgpt.workflow.templating import reference_value
from pyfastgpt.workflow.values import js_number, js_str


def branch_label(index: int) -> str:
    return "IF" if index == 0 else f"ELSE IF {index}"


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


def _includes(value: Any, target: Any) -> bool:
    if isinstance(value, list):
        return target in [js_str(item) for item in value]
    if isinstance(value, str):
        return isinstance(target, str) and target in value
    return False


def _num(value: Any) -> float:
    number = js_number(value)
    return math.nan if number is None else float(number)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list)) else None


def _cmp_len(value: Any, target: Any, op: str) -> bool:
    length = _length(value)
    if length is None:
        return op == "ne"
    n = _num(target)
    return {
        "eq": length == n,
        "ne": length != n,
        "gt": length > n,
        "ge": length >= n,
        "lt": length < n,
        "le": length <= n,
    }[op]


def _regex(value: Any, pattern: Any) -> bool:
    if not isinstance(value, str) or not pattern:
        return False
    pattern = str(pattern)
    if pattern.startswith("/"):
        pattern = pattern[1:]
    if pattern.endswith("/"):
        pattern = pattern[:-1]
    try:
        return re.search(pattern, value.strip()) is not None
    except re.error:
        return False


def check_condition(condition: str, left: Any, right: Any) -> bool:
    """FastGPT's `checkCondition` for every `VariableConditionEnum` value."""
    right_text = js_str(right) if right is not None else ""
    if condition == "isEmpty":
        return is_empty(left)
    if condition == "isNotEmpty":
        return not is_empty(left)
    if condition == "equalTo":
        return js_str(left).strip() == right_text.strip()
    if condition == "notEqual":
        return js_str(left).strip() != right_text.strip()
    if condition == "greaterThan":
        return _num(left) > _num(right)
    if condition == "lessThan":
        return _num(left) < _num(right)
    if condition == "greaterThanOrEqualTo":
        return _num(left) >= _num(right)
    if condition == "lessThanOrEqualTo":
        return _num(left) <= _num(right)
    if condition == "include":
        return _includes(left, right)
    if condition == "notInclude":
        return not _includes(left, right)
    if condition == "startWith":
        return isinstance(left, str) and left.strip().startswith(right_text)
    if condition == "endWith":
        return isinstance(left, str) and left.strip().endswith(right_text)
    if condition == "reg":
        return _regex(left, right)
    length_ops = {
        "lengthEqualTo": "eq",
        "lengthNotEqualTo": "ne",
        "lengthGreaterThan": "gt",
        "lengthGreaterThanOrEqualTo": "ge",
        "lengthLessThan": "lt",
        "lengthLessThanOrEqualTo": "le",
    }
    if condition in length_ops:
        return _cmp_len(left, right, length_ops[condition])
    return False


@dataclass(slots=True)
class IfElseInputs(NodeInputs):
    groups: list[Any] = wire("ifElseList", factory=list, or_default=True)


@register_node
class IfElseNode(Node[IfElseInputs]):
    node_type = "ifElseNode"
    inputs_type = IfElseInputs

    async def run(self, ctx: NodeContext, inputs: IfElseInputs) -> NodeResult:
        groups = inputs.groups
        result = "ELSE"
        for index, group in enumerate(groups):
            if self._group_true(ctx, group):
                result = branch_label(index)
                break
        labels = [branch_label(i) for i in range(len(groups))] + ["ELSE"]
        node_id = ctx.node.node_id
        chosen = handle_id(node_id, "source", result)
        skips = [handle_id(node_id, "source", label) for label in labels]
        # [4.16] branches may be addressed by branchId as well
        for index, group in enumerate(groups):
            branch_id = group.get("branchId") if isinstance(group, dict) else None
            if branch_id:
                handle = handle_id(node_id, "source", str(branch_id))
                if branch_label(index) == result:
                    chosen_alias = handle
                    skips = [h for h in skips if h != chosen_alias]
                else:
                    skips.append(handle)
        return NodeResult(
            data={"ifElseResult": result},
            response={"totalPoints": 0, "ifElseResult": result},
            skip_handle_ids=[h for h in skips if h != chosen],
        )

    @staticmethod
    def _group_true(ctx: NodeContext, group: dict[str, Any]) -> bool:
        results: list[bool] = []
        items = group.get("list")
        if not isinstance(items, list):  # a 4.7 flat condition list: FastGPT's `item.list.map` throws
            raise NodeRunError("Cannot read properties of undefined (reading 'map')")
        for item in items:
            condition = item.get("condition")
            if not condition:
                results.append(False)
                continue
            left = reference_value(item.get("variable"), ctx.graph, ctx.variables)
            right = item.get("value")
            if item.get("valueType") == "reference":
                right = reference_value(right, ctx.graph, ctx.variables)
            results.append(check_condition(condition, left, right))
        if group.get("condition") == "OR":
            return any(results)
        return all(results)

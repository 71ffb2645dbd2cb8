"""`variableUpdate`: assign global variables or other nodes' outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.engine import remove_system_variables
from pyfastgpt.workflow.events import VariablesUpdated
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, register_node
from pyfastgpt.workflow.templating import reference_value, replace_editor_variable
from pyfastgpt.workflow.values import VARIABLE_NODE_ID, is_reference, value_type_format


@dataclass(slots=True)
class VariableUpdateInputs(NodeInputs):
    updates: list[Any] = wire("updateList", factory=list, or_default=True)


@register_node
class VariableUpdateNode(Node[VariableUpdateInputs]):
    node_type = "variableUpdate"
    inputs_type = VariableUpdateInputs

    async def run(self, ctx: NodeContext, inputs: VariableUpdateInputs) -> NodeResult:
        results: list[Any] = []
        node_ids = set(ctx.graph.by_id) | {VARIABLE_NODE_ID}
        for item in inputs.updates:
            target = item.get("variable")
            if not is_reference(target) or target[0] not in node_ids or not target[1]:
                results.append(None)
                continue
            value = self._value(ctx, item)
            if target[0] == VARIABLE_NODE_ID:
                ctx.variables[target[1]] = value
            else:
                node = ctx.graph.node(target[0])
                output = node.output_by_id(target[1]) if node else None
                if output is not None:
                    output.set(value)
            results.append(value)
        if not ctx.dispatch.is_child_app:
            ctx.emit(VariablesUpdated(variables=remove_system_variables(ctx.variables)))
        return NodeResult(new_variables=ctx.variables, response={"updateVarResult": results})

    @staticmethod
    def _value(ctx: NodeContext, item: dict[str, Any]) -> Any:
        raw = item.get("value")
        if not isinstance(raw, list) or not raw or not raw[0]:
            literal = raw[1] if isinstance(raw, list) and len(raw) > 1 else None
            if isinstance(literal, str):
                literal = replace_editor_variable(literal, ctx.graph, ctx.variables)
            return value_type_format(literal, item.get("valueType"))
        return reference_value(raw, ctx.graph, ctx.variables)

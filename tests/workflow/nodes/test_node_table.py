"""A third-party node registers through the same `register_node` extension point as built-ins."""

from __future__ import annotations

from dataclasses import dataclass

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import (
    Node,
    NodeResult,
    UnsupportedNode,
    get_node,
    register_node,
    registered_types,
    unregister_node,
)
from pyfastgpt.workflow.nodes import NODE_MODULES
from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node, text_query


def test_the_node_table_names_the_module_that_runs_each_type():
    """`NODE_MODULES` is the one place to look: each type runs the class of the module it names."""
    wrong = {}
    for node_type, module in NODE_MODULES.items():
        impl = get_node(node_type)
        runs = None if impl is None else type(impl).__module__.rsplit(".", 1)[-1]
        if module is None:
            if not isinstance(impl, UnsupportedNode):
                wrong[node_type] = runs
        elif runs != module:
            wrong[node_type] = runs
    assert wrong == {}
    built_in = {t for t in registered_types() if type(get_node(t)).__module__.startswith("pyfastgpt.workflow.nodes.")}
    assert built_in - set(NODE_MODULES) == set()  # a built-in registered outside the table
    assert {"chatNode", "parallelRun", "loopRun", "toolSet", "agent"} <= set(NODE_MODULES)


async def test_custom_node_type_runs(plain_deps):
    @dataclass(slots=True)
    class ReverseInputs(NodeInputs):
        text: str = wire("text", "", or_default=True)

    @register_node
    class ReverseNode(Node[ReverseInputs]):
        node_type = "x-reverse"
        inputs_type = ReverseInputs

        async def run(self, ctx: NodeContext, inputs: ReverseInputs) -> NodeResult:
            text = str(inputs.text)
            return NodeResult(data={"reversed": text[::-1]}, response={"textOutput": text[::-1]})

    try:
        node = {
            "nodeId": "rev",
            "flowNodeType": "x-reverse",
            "name": "Reverse",
            "inputs": [
                {
                    "key": "text",
                    "renderTypeList": ["reference"],
                    "valueType": "string",
                    "value": ["start", "userChatInput"],
                }
            ],
            "outputs": [{"id": "reversed", "key": "reversed", "type": "static", "valueType": "string"}],
        }
        graph = {
            "nodes": [start_node(), node, answer_node("a", "{{$rev.reversed$}}")],
            "edges": [edge("start", "rev"), edge("rev", "a")],
        }
        result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("abc")))
        assert answer_text(result) == "\ncba"
    finally:
        unregister_node("x-reverse")

"""A third-party node registers through the same `register_node` extension point as built-ins."""

from __future__ import annotations

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import Node, NodeResult, get_node, register_node, registered_types, unregister_node
from pyfastgpt.workflow.nodes import DEFAULT_NODE_MODULES
from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node, text_query


def test_every_runnable_fastgpt_type_has_an_implementation():
    from pyfastgpt.workflow.node_types import KNOWN_NODE_TYPES

    missing = sorted(t for t in KNOWN_NODE_TYPES if get_node(t) is None)
    assert missing == []
    assert "chatNode" in registered_types() and len(DEFAULT_NODE_MODULES) >= 20


async def test_custom_node_type_runs(plain_deps):
    @register_node
    class ReverseNode(Node):
        node_type = "x-reverse"

        async def run(self, ctx: NodeContext) -> NodeResult:
            text = str(ctx.params.get("text") or "")
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

"""Edge grouping (common vs recursive) and run/skip/wait against brute force on random graphs."""

from __future__ import annotations

import random

from pyfastgpt.workflow.graph import RuntimeEdge, RuntimeGraph, build_node, strongly_connected


def reaches(edges: list[tuple[str, str]], start: str, goal: str) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(t for s, t in edges if s == node)
    return False


def test_recursive_edges_match_upstream_walk_on_random_graphs():
    rng = random.Random(7)
    for _ in range(200):
        size = rng.randint(2, 9)
        ids = [f"n{i}" for i in range(size)]
        pairs = list({(rng.choice(ids), rng.choice(ids)) for _ in range(rng.randint(1, 2 * size))})
        graph = RuntimeGraph(
            nodes=[build_node({"nodeId": i, "flowNodeType": "emptyNode"}) for i in ids],
            edges=[RuntimeEdge(s, f"{s}-source-right", t, f"{t}-target-left") for s, t in pairs],
        )
        for node_id in ids:
            common, recursive = graph.edge_groups(node_id)
            for edge in recursive:
                assert reaches(pairs, node_id, edge.source)
            for edge in common:
                assert not reaches(pairs, node_id, edge.source)


def test_strongly_connected_components():
    edges = [RuntimeEdge(s, "", t, "") for s, t in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d")]]
    components = strongly_connected(edges)
    assert components["a"] == components["b"] == components["c"] != components["d"]


def test_run_status_rules():
    graph = RuntimeGraph(
        nodes=[build_node({"nodeId": i, "flowNodeType": "emptyNode"}) for i in "abcx"],
        edges=[
            RuntimeEdge("a", "a-source-right", "x", "x-target-left"),
            RuntimeEdge("b", "b-source-right", "x", "x-target-left"),
            RuntimeEdge("x", "x-source-right", "c", "c-target-left"),
            RuntimeEdge("c", "c-source-right", "x", "x-target-left"),  # loop back
        ],
    )
    a, b, _x_to_c, back = graph.edges
    assert graph.run_status("x") == "wait"
    a.status = "active"
    assert graph.run_status("x") == "wait"  # b still waiting
    b.status = "skipped"
    assert graph.run_status("x") == "run"  # common group: one active, none waiting
    a.status = b.status = "skipped"
    assert graph.run_status("x") == "skip"
    a.status = b.status = "waiting"
    back.status = "active"
    assert graph.run_status("x") == "run"  # recursive group alone
    assert graph.run_status("a") == "run"  # no incoming edges


def test_max_history_limit():
    from pyfastgpt.workflow.chat_values import max_history_limit
    from tests.workflow.helpers import load_app

    assert max_history_limit(load_app("simple_chat")["nodes"]) == 20
    nodes = [{"inputs": [{"key": "history", "value": 30}]}, {"inputs": [{"key": "history", "value": ["n", "h"]}]}]
    assert max_history_limit(nodes) == 60

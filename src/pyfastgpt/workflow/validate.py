"""Structural validation of a stored FastGPT workflow (`nodes`/`modules`, `edges`).

Checks only what makes a graph unusable: the shape of nodes and edges, unknown node types,
duplicate node ids and edges that point at missing nodes. Everything else is kept verbatim.
"""

from __future__ import annotations

from typing import Any

from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.workflow.nodes import is_known_node_type


def validate_graph(nodes: Any, edges: Any) -> None:
    """Raise `InvalidRequest` with a readable message when the graph cannot be stored."""
    if nodes is None and edges is None:
        return
    if not isinstance(nodes, list):
        raise InvalidRequest("Invalid workflow: `nodes` must be a list")
    if edges is not None and not isinstance(edges, list):
        raise InvalidRequest("Invalid workflow: `edges` must be a list")
    seen: set[str] = set()
    for index, node in enumerate(nodes):
        if not isinstance(node, dict):
            raise InvalidRequest(f"Invalid workflow: node #{index} is not an object")
        node_id = node.get("nodeId") or node.get("moduleId")
        if not isinstance(node_id, str) or not node_id:
            raise InvalidRequest(f"Invalid workflow: node #{index} has no nodeId")
        node_type = node.get("flowNodeType") or node.get("flowType")
        if not isinstance(node_type, str) or not node_type:
            raise InvalidRequest(f"Invalid workflow: node '{node_id}' has no flowNodeType")
        if not is_known_node_type(node_type):
            raise InvalidRequest(f"Invalid workflow: node '{node_id}' has unknown type '{node_type}'")
        if node_id in seen:
            raise InvalidRequest(f"Invalid workflow: duplicate node id '{node_id}'")
        seen.add(node_id)
        for field in ("inputs", "outputs"):
            if field in node and not isinstance(node[field], list):
                raise InvalidRequest(f"Invalid workflow: node '{node_id}' {field} must be a list")
    for index, edge in enumerate(edges or []):
        if not isinstance(edge, dict):
            raise InvalidRequest(f"Invalid workflow: edge #{index} is not an object")
        for end in ("source", "target"):
            ref = edge.get(end)
            if not isinstance(ref, str) or not ref:
                raise InvalidRequest(f"Invalid workflow: edge #{index} has no {end}")
            if ref not in seen:
                raise InvalidRequest(f"Invalid workflow: edge #{index} {end} '{ref}' is not a node (dangling edge)")

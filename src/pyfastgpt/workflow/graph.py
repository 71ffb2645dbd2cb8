"""Runtime graph: nodes with live output values, edges with FastGPT's run states.

Edge states are ``waiting`` / ``active`` / ``skipped``. A node's incoming edges are split into
*common* edges and *recursive* edges (whose source can be traced back to the node itself, i.e.
loop-back edges); `run_status` applies FastGPT's rule over the two groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

EdgeStatus = Literal["waiting", "active", "skipped"]
RunStatus = Literal["run", "skip", "wait"]
SELECTED_TOOLS = "selectedTools"
ENTRY_NODE_TYPES = ("userGuide", "workflowStart", "pluginInput")


def handle_id(node_id: str, kind: str, key: str) -> str:
    """`getHandleId`: ``<nodeId>-<source|source_catch|target>-<key>``."""
    return f"{node_id}-{kind}-{key}"


@dataclass(slots=True)
class RuntimeOutput:
    id: str
    key: str
    value_type: str | None
    raw: dict[str, Any]
    value: Any = None
    has_value: bool = False

    def set(self, value: Any) -> None:
        self.value = value
        self.has_value = True


@dataclass(slots=True)
class RuntimeNode:
    node_id: str
    flow_node_type: str
    name: str
    raw: dict[str, Any]
    inputs: list[dict[str, Any]]
    outputs: list[RuntimeOutput]
    show_status: bool = False
    is_entry: bool = False
    catch_error: bool = False
    parent_node_id: str | None = None
    version: str | None = None
    plugin_id: str | None = None

    def input(self, key: str) -> dict[str, Any] | None:
        for item in self.inputs:
            if item.get("key") == key:
                return item
        return None

    def input_value(self, key: str, default: Any = None) -> Any:
        item = self.input(key)
        if item is None or "value" not in item:
            return default
        return item["value"]

    def output_by_id(self, output_id: str) -> RuntimeOutput | None:
        for output in self.outputs:
            if output.id == output_id:
                return output
        return None

    def output_by_key(self, key: str) -> RuntimeOutput | None:
        for output in self.outputs:
            if output.key == key:
                return output
        return None


@dataclass(slots=True)
class RuntimeEdge:
    source: str
    source_handle: str
    target: str
    target_handle: str
    status: EdgeStatus = "waiting"

    @property
    def is_tool_edge(self) -> bool:
        return self.source_handle == SELECTED_TOOLS or self.target_handle == SELECTED_TOOLS

    def to_store(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sourceHandle": self.source_handle,
            "target": self.target,
            "targetHandle": self.target_handle,
            "status": self.status,
        }


def build_node(raw: dict[str, Any]) -> RuntimeNode:
    raw = orjson.loads(orjson.dumps(raw))  # a private copy: runs mutate input values
    node_id = str(raw.get("nodeId") or raw.get("moduleId") or "")
    inputs = [item for item in raw.get("inputs") or [] if isinstance(item, dict)]
    outputs: list[RuntimeOutput] = []
    for item in raw.get("outputs") or []:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key", ""))
        output = RuntimeOutput(id=str(item.get("id") or key), key=key, value_type=item.get("valueType"), raw=item)
        if "value" in item and item["value"] is not None:
            output.set(item["value"])
        outputs.append(output)
    return RuntimeNode(
        node_id=node_id,
        flow_node_type=str(raw.get("flowNodeType") or raw.get("flowType") or ""),
        name=str(raw.get("name") or ""),
        raw=raw,
        inputs=inputs,
        outputs=outputs,
        show_status=bool(raw.get("showStatus")),
        catch_error=bool(raw.get("catchError")),
        parent_node_id=raw.get("parentNodeId"),
        version=raw.get("version"),
        plugin_id=raw.get("pluginId"),
    )


def build_edge(raw: dict[str, Any]) -> RuntimeEdge:
    status = raw.get("status")
    return RuntimeEdge(
        source=str(raw.get("source", "")),
        source_handle=str(raw.get("sourceHandle") or ""),
        target=str(raw.get("target", "")),
        target_handle=str(raw.get("targetHandle") or ""),
        status=status if status in ("waiting", "active", "skipped") else "waiting",
    )


def default_entry_node_ids(nodes: list[RuntimeNode]) -> list[str]:
    """`getWorkflowEntryNodeIds` without a pending interactive."""
    has_entry = any(node.flow_node_type in ENTRY_NODE_TYPES for node in nodes)
    return [
        node.node_id
        for node in nodes
        if node.flow_node_type in ENTRY_NODE_TYPES or (not has_entry and node.flow_node_type == "tool")
    ]


@dataclass
class RuntimeGraph:
    nodes: list[RuntimeNode]
    edges: list[RuntimeEdge]
    by_id: dict[str, RuntimeNode] = field(init=False)
    order: dict[str, int] = field(init=False)
    _incoming: dict[str, tuple[list[RuntimeEdge], list[RuntimeEdge]]] = field(init=False)
    _outgoing: dict[str, list[RuntimeEdge]] = field(init=False)
    _components: dict[str, int] | None = field(init=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self.by_id = {node.node_id: node for node in self.nodes}
        self.order = {node.node_id: index for index, node in enumerate(self.nodes)}
        self._into: dict[str, list[RuntimeEdge]] = {}
        for edge in self.edges:
            self._into.setdefault(edge.target, []).append(edge)
        self._incoming = {}
        self._outgoing = {}
        self._components = None
        for edge in self.edges:
            self._outgoing.setdefault(edge.source, []).append(edge)

    def node(self, node_id: str) -> RuntimeNode | None:
        return self.by_id.get(node_id)

    def outgoing(self, node_id: str) -> list[RuntimeEdge]:
        return self._outgoing.get(node_id, [])

    def outgoing_flow(self, node_id: str) -> list[RuntimeEdge]:
        return [edge for edge in self.outgoing(node_id) if not edge.is_tool_edge]

    def incoming_all(self, node_id: str) -> list[RuntimeEdge]:
        return [edge for edge in self.edges if edge.target == node_id]

    def tool_node_ids(self, node_id: str) -> list[str]:
        """Nodes attached to `node_id` as tools (`selectedTools` target handle)."""
        return [edge.target for edge in self.edges if edge.source == node_id and edge.target_handle == SELECTED_TOOLS]

    def reset_incoming(self, node_id: str) -> None:
        for edge in self._into.get(node_id, ()):
            edge.status = "waiting"

    def in_order(self, node_ids: set[str]) -> list[RuntimeNode]:
        """The nodes with these ids, in the graph's node order (FastGPT iterates runtimeNodes)."""
        found = [node_id for node_id in node_ids if node_id in self.by_id]
        found.sort(key=self.order.__getitem__)
        return [self.by_id[node_id] for node_id in found]

    def edge_groups(self, node_id: str) -> tuple[list[RuntimeEdge], list[RuntimeEdge]]:
        cached = self._incoming.get(node_id)
        if cached is None:
            cached = self._split_incoming(node_id)
            self._incoming[node_id] = cached
        return cached

    def _split_incoming(self, node_id: str) -> tuple[list[RuntimeEdge], list[RuntimeEdge]]:
        """Recursive edges are those whose source can be reached from this node (a loop back)."""
        common: list[RuntimeEdge] = []
        recursive: list[RuntimeEdge] = []
        for edge in self._into.get(node_id, ()):
            if edge.is_tool_edge:
                continue
            same = edge.source == node_id or (self._component(edge.source) == self._component(node_id) != -1)
            if same:
                recursive.append(edge)
            else:
                common.append(edge)
        return common, recursive

    def _component(self, node_id: str) -> int:
        """Strongly connected component of a node: an edge u->v loops back iff u, v share one."""
        if self._components is None:
            self._components = strongly_connected(self.edges)
        return self._components.get(node_id, -1)

    def run_status(self, node_id: str) -> RunStatus:
        """`checkNodeRunStatus`."""
        common, recursive = self.edge_groups(node_id)
        if not common and not recursive:
            return "run"
        for group in (common, recursive):
            if (
                group
                and any(edge.status == "active" for edge in group)
                and all(edge.status != "waiting" for edge in group)
            ):
                return "run"
        for group in (common, recursive):
            if group and all(edge.status == "skipped" for edge in group):
                return "skip"
        return "wait"


def strongly_connected(edges: list[RuntimeEdge]) -> dict[str, int]:
    """Iterative Tarjan over all edges (tool edges included, as FastGPT's upstream walk)."""
    successors: dict[str, list[str]] = {}
    for edge in edges:
        successors.setdefault(edge.source, []).append(edge.target)
        successors.setdefault(edge.target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = 0
    for root in successors:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = successors[node]
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component


def load_graph(
    graph: dict[str, Any],
    *,
    entry_node_ids: list[str] | None = None,
    memory_edges: list[dict[str, Any]] | None = None,
) -> RuntimeGraph:
    """Build runtime nodes/edges from a stored graph (`nodes` or legacy `modules`)."""
    raw_nodes = graph.get("nodes")
    if raw_nodes is None:
        raw_nodes = graph.get("modules") or []
    nodes = [build_node(item) for item in raw_nodes if isinstance(item, dict)]
    raw_edges = memory_edges if memory_edges else graph.get("edges") or []
    edges = [build_edge(item) for item in raw_edges if isinstance(item, dict)]
    if not memory_edges:
        for edge in edges:
            edge.status = "waiting"
    entries = entry_node_ids if entry_node_ids else default_entry_node_ids(nodes)
    for node in nodes:
        node.is_entry = node.node_id in entries
    return RuntimeGraph(nodes=nodes, edges=edges)

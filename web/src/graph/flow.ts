// The graph document ⇄ @xyflow/react: nodes and edges to draw (reusing the previous objects of unchanged
// nodes so memoized cards do not re-render), and what a drawn connection means for the document.
import type { Connection, Edge, Node } from "@xyflow/react";
import { connect, findNode, setReference } from "./document";
import { parseHandle, sourceHandleId, targetHandleId, usedHandles } from "./handles";
import { outputsOf, type FlowEdge, type FlowNode, type GraphDoc, type Reference } from "./types";

export type RunStatus = "running" | "done" | "error";

export interface CardData extends Record<string, unknown> {
  raw: FlowNode;
  /** Handles edges use beyond the standard ones (see `usedHandles`). */
  extra: string;
  status?: RunStatus;
}

export type CardNode = Node<CardData, "fastgpt">;
export type StoredEdge = Edge<{ stored: FlowEdge }>;

/** Nodes FastGPT does not let the user delete. */
export const UNDELETABLE = new Set(["workflowStart", "userGuide", "pluginInput", "pluginOutput", "pluginConfig"]);

/**
 * The nodes to draw. `previous` (the nodes drawn last time) keeps measured sizes and selection, and each
 * unchanged node keeps its object. O(nodes + edges).
 */
export function toCardNodes(
  doc: GraphDoc,
  previous: CardNode[] = [],
  statuses: Record<string, RunStatus | undefined> = {},
): CardNode[] {
  const before = new Map(previous.map((node) => [node.id, node]));
  const extras = usedHandles(doc.edges);
  const nodes = doc.nodes.map((raw) => {
    const old = before.get(raw.nodeId);
    const extra = extras.get(raw.nodeId) ?? "";
    const status = statuses[raw.nodeId];
    if (old && old.data.raw === raw && old.data.extra === extra && old.data.status === status) return old;
    const position = raw.position ?? { x: 0, y: 0 };
    const samePosition = old && old.position.x === position.x && old.position.y === position.y;
    return {
      ...(old ?? {}),
      id: raw.nodeId,
      type: "fastgpt",
      position: samePosition ? old.position : { x: position.x, y: position.y },
      data: { raw, extra, status },
      deletable: !UNDELETABLE.has(raw.flowNodeType),
      ariaLabel: raw.name,
    } as CardNode;
  });
  return sameItems(nodes, previous) ? previous : nodes;
}

/** The previous array when nothing in it changed, so React Flow is not handed a "new" list for nothing. */
function sameItems<T>(next: T[], previous: T[]): boolean {
  return next.length === previous.length && next.every((item, index) => item === previous[index]);
}

/** React Flow edge ids: FastGPT edges have none, so one is made from the four ends (`#n` for repeats). */
export function toFlowEdges(doc: GraphDoc, previous: StoredEdge[] = []): StoredEdge[] {
  const before = new Map(previous.map((edge) => [edge.id, edge]));
  const seen = new Map<string, number>();
  const edges = doc.edges.map((stored) => {
    const base = `${stored.source}:${stored.sourceHandle ?? ""}->${stored.target}:${stored.targetHandle ?? ""}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const id = count ? `${base}#${count}` : base;
    const old = before.get(id);
    if (old && old.data?.stored === stored) return old;
    return {
      ...(old ?? {}),
      id,
      source: stored.source,
      target: stored.target,
      sourceHandle: stored.sourceHandle ?? sourceHandleId(stored.source),
      targetHandle: stored.targetHandle ?? targetHandleId(stored.target),
      data: { stored },
    };
  });
  return sameItems(edges, previous) ? previous : edges;
}

export type ConnectionMeaning =
  | { kind: "edge"; edge: { source: string; target: string; sourceHandle: string; targetHandle: string } }
  | { kind: "reference"; nodeId: string; inputKey: string; ref: Reference }
  | { kind: "invalid" };

/**
 * A drag between two handles: node handle → node handle is a FastGPT edge; an output's handle dropped on
 * an input's handle makes that input read the output (`[nodeId, outputId]`), as FastGPT's reference picker does.
 */
export function meaningOf(connection: Connection | Edge): ConnectionMeaning {
  const { source, target } = connection;
  if (!source || !target || source === target) return { kind: "invalid" };
  const from = parseHandle(source, connection.sourceHandle);
  const to = parseHandle(target, connection.targetHandle);
  if (from.kind === "output" && to.kind === "input") {
    return { kind: "reference", nodeId: target, inputKey: to.inputKey, ref: [source, from.outputId] };
  }
  const sourceOk = from.kind === "source" || (from.kind === "other" && !!connection.sourceHandle);
  const targetOk = to.kind === "target" || (to.kind === "other" && !!connection.targetHandle);
  if (sourceOk && targetOk) {
    return {
      kind: "edge",
      edge: { source, target, sourceHandle: connection.sourceHandle as string, targetHandle: connection.targetHandle as string },
    };
  }
  return { kind: "invalid" };
}

/** Apply a drawn connection to the document. */
export function applyConnection(doc: GraphDoc, connection: Connection): GraphDoc {
  const meaning = meaningOf(connection);
  if (meaning.kind === "edge") return connect(doc, meaning.edge);
  if (meaning.kind === "reference") {
    const source = findNode(doc, meaning.ref[0]);
    if (!source || !outputsOf(source).some((output) => (output.id ?? output.key) === meaning.ref[1])) return doc;
    return setReference(doc, meaning.nodeId, meaning.inputKey, meaning.ref);
  }
  return doc;
}

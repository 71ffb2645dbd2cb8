// The editor's graph document: FastGPT's nodes/edges/chatConfig, edited by pure functions that copy only
// what they change. Untouched nodes, edges and fields stay the very objects that were loaded, so the
// export of an unedited graph is byte-identical to what came in, and an edit changes only its own path.
import { isStaleBranchEdge } from "./handles";
import { inputsOf, type FlowEdge, type FlowInput, type FlowNode, type GraphDoc, type Position, type Reference } from "./types";

/** Read a stored graph (app detail `modules`, an export's `nodes`, or `workflow.nodes` of a template). */
export function fromStored(graph: {
  nodes?: unknown;
  modules?: unknown;
  edges?: unknown;
  chatConfig?: unknown;
}): GraphDoc {
  const nodes = Array.isArray(graph.nodes) ? graph.nodes : Array.isArray(graph.modules) ? graph.modules : [];
  return {
    nodes: nodes as FlowNode[],
    edges: (Array.isArray(graph.edges) ? graph.edges : []) as FlowEdge[],
    chatConfig: (graph.chatConfig && typeof graph.chatConfig === "object" ? graph.chatConfig : {}) as Record<string, unknown>,
  };
}

/** What FastGPT's export and `version/publish` carry. */
export function toStored(doc: GraphDoc): { nodes: FlowNode[]; edges: FlowEdge[]; chatConfig: Record<string, unknown> } {
  return { nodes: doc.nodes, edges: doc.edges, chatConfig: doc.chatConfig };
}

export function findNode(doc: GraphDoc, nodeId: string): FlowNode | undefined {
  return doc.nodes.find((node) => node.nodeId === nodeId);
}

/** Replace one node by `patch(node)`; the same doc back when the node is missing or unchanged. */
export function patchNode(doc: GraphDoc, nodeId: string, patch: (node: FlowNode) => FlowNode): GraphDoc {
  const index = doc.nodes.findIndex((node) => node.nodeId === nodeId);
  if (index < 0) return doc;
  const next = patch(doc.nodes[index]);
  if (next === doc.nodes[index]) return doc;
  const nodes = doc.nodes.slice();
  nodes[index] = next;
  return { ...doc, nodes };
}

/** Set one field, keeping the object's key order (a new key goes last). */
function withField<T extends object>(object: T, key: string, value: unknown): T {
  return { ...object, [key]: value };
}

export function moveNode(doc: GraphDoc, nodeId: string, position: Position): GraphDoc {
  return patchNode(doc, nodeId, (node) => {
    if (node.position && node.position.x === position.x && node.position.y === position.y) return node;
    return withField(node, "position", { x: position.x, y: position.y });
  });
}

/** Several moves at once (a dragged selection): one pass, one new doc. */
export function moveNodes(doc: GraphDoc, moves: Iterable<readonly [string, Position]>): GraphDoc {
  const wanted = new Map(moves);
  let changed = false;
  const nodes = doc.nodes.map((node) => {
    const position = wanted.get(node.nodeId);
    if (!position || (node.position && node.position.x === position.x && node.position.y === position.y)) return node;
    changed = true;
    return withField(node, "position", { x: position.x, y: position.y });
  });
  return changed ? { ...doc, nodes } : doc;
}

export function renameNode(doc: GraphDoc, nodeId: string, name: string): GraphDoc {
  return patchNode(doc, nodeId, (node) => (node.name === name ? node : withField(node, "name", name)));
}

export function addNode(doc: GraphDoc, node: FlowNode): GraphDoc {
  if (doc.nodes.some((existing) => existing.nodeId === node.nodeId)) throw new Error(`Node id ${node.nodeId} is taken`);
  return { ...doc, nodes: [...doc.nodes, node] };
}

/** Remove nodes and every edge that touches them. */
export function removeNodes(doc: GraphDoc, nodeIds: Iterable<string>): GraphDoc {
  const ids = new Set(nodeIds);
  if (!doc.nodes.some((node) => ids.has(node.nodeId))) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((node) => !ids.has(node.nodeId)),
    edges: doc.edges.filter((edge) => !ids.has(edge.source) && !ids.has(edge.target)),
  };
}

export function sameEdge(a: FlowEdge, b: FlowEdge): boolean {
  return a.source === b.source && a.target === b.target && a.sourceHandle === b.sourceHandle && a.targetHandle === b.targetHandle;
}

/** Add an edge as FastGPT stores it (`source, target, sourceHandle, targetHandle`); no duplicates, no self-loops. */
export function connect(doc: GraphDoc, edge: { source: string; target: string; sourceHandle: string; targetHandle: string }): GraphDoc {
  if (edge.source === edge.target) return doc;
  if (!findNode(doc, edge.source) || !findNode(doc, edge.target)) return doc;
  const stored: FlowEdge = { source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle, targetHandle: edge.targetHandle };
  if (doc.edges.some((existing) => sameEdge(existing, stored))) return doc;
  return { ...doc, edges: [...doc.edges, stored] };
}

/** Remove these edges (the stored objects, as `edgeKey`/flow edges hand them back). */
export function disconnect(doc: GraphDoc, edges: Iterable<FlowEdge>): GraphDoc {
  const gone = new Set(edges);
  if (gone.size === 0) return doc;
  const kept = doc.edges.filter((edge) => !gone.has(edge));
  return kept.length === doc.edges.length ? doc : { ...doc, edges: kept };
}

export function isReference(value: unknown): value is Reference {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string";
}

/** `[[nodeId, outputId], …]`: the multi-reference value of array inputs (FastGPT 4.9+). */
export function isReferenceList(value: unknown): value is Reference[] {
  return Array.isArray(value) && value.length > 0 && value.every(isReference);
}

export function renderTypeOf(input: FlowInput): string {
  const list = input.renderTypeList ?? [];
  const index = typeof input.selectedTypeIndex === "number" ? input.selectedTypeIndex : 0;
  return list[index] ?? list[0] ?? "hidden";
}

function patchInput(doc: GraphDoc, nodeId: string, key: string, patch: (input: FlowInput) => FlowInput): GraphDoc {
  let changed: FlowNode | undefined;
  const next = patchNode(doc, nodeId, (node) => {
    const inputs = inputsOf(node);
    const index = inputs.findIndex((input) => input.key === key);
    if (index < 0) return node;
    const updated = patch(inputs[index]);
    if (updated === inputs[index]) return node;
    const list = inputs.slice();
    list[index] = updated;
    changed = withField(node, "inputs", list);
    return changed;
  });
  if (!changed) return next;
  // A branch node's branches may have changed: edges from a branch that is gone go with it (as in FastGPT).
  const node = changed;
  const stale = next.edges.filter((edge) => isStaleBranchEdge(node, edge));
  return stale.length ? disconnect(next, stale) : next;
}

function selectRenderType(input: FlowInput, wantReference: boolean): FlowInput {
  const list = input.renderTypeList ?? [];
  const current = renderTypeOf(input);
  if ((current === "reference") === wantReference) return input;
  const index = wantReference ? list.indexOf("reference") : list.findIndex((type) => type !== "reference" && type !== "hidden");
  if (index < 0) return input;
  return withField(input, "selectedTypeIndex", index);
}

/** Set an input's literal value (switching a reference-shown input back to its first literal render type). */
export function setInputValue(doc: GraphDoc, nodeId: string, key: string, value: unknown): GraphDoc {
  return patchInput(doc, nodeId, key, (input) => {
    const shown = selectRenderType(input, false);
    if (shown === input && Object.is(input.value, value)) return input;
    return withField(shown, "value", value);
  });
}

/** Point an input at another node's output: value `[nodeId, outputId]` (or a list of them), render type `reference`. */
export function setReference(doc: GraphDoc, nodeId: string, key: string, ref: Reference | Reference[] | undefined): GraphDoc {
  return patchInput(doc, nodeId, key, (input) => {
    const shown = selectRenderType(input, true);
    if (shown === input && JSON.stringify(input.value) === JSON.stringify(ref)) return input;
    return withField(shown, "value", ref);
  });
}

/** Switch which of `renderTypeList` the input shows; the old value goes when it no longer fits (reference ⇄ literal). */
export function setRenderType(doc: GraphDoc, nodeId: string, key: string, index: number): GraphDoc {
  return patchInput(doc, nodeId, key, (input) => {
    const list = input.renderTypeList ?? [];
    if (index < 0 || index >= list.length || renderTypeOf(input) === list[index]) return input;
    const next = withField(input, "selectedTypeIndex", index);
    const toReference = list[index] === "reference";
    const valueIsReference = isReference(input.value) || isReferenceList(input.value);
    return toReference !== valueIsReference && input.value !== undefined ? withField(next, "value", undefined) : next;
  });
}

export function setChatConfig(doc: GraphDoc, chatConfig: Record<string, unknown>): GraphDoc {
  return { ...doc, chatConfig };
}

/** Nodes upstream of `nodeId` along edges (what its reference picker offers), nearest first. O(nodes + edges). */
export function upstreamNodes(doc: GraphDoc, nodeId: string): FlowNode[] {
  const incoming = new Map<string, string[]>();
  for (const edge of doc.edges) {
    const list = incoming.get(edge.target);
    if (list) list.push(edge.source);
    else incoming.set(edge.target, [edge.source]);
  }
  const seen = new Set<string>([nodeId]);
  const order: string[] = [];
  let frontier = [nodeId];
  while (frontier.length) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const source of incoming.get(id) ?? []) {
        if (seen.has(source)) continue;
        seen.add(source);
        order.push(source);
        next.push(source);
      }
    }
    frontier = next;
  }
  const byId = new Map(doc.nodes.map((node) => [node.nodeId, node]));
  return order.map((id) => byId.get(id)).filter((node): node is FlowNode => node !== undefined);
}

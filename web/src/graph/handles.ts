// FastGPT's handle ids (`getHandleId`: `${nodeId}-source-${key}` / `${nodeId}-target-${key}`) and which
// handles a node shows: one target on the left, one source on the right, one source per branch for
// ifElse / classifyQuestion / userSelect, the error branch when `catchError` is on, plus whatever
// handle an existing edge already uses (`-source-bottom`, `selectedTools`, …) so no stored edge is lost.
import { inputsOf, type FlowEdge, type FlowNode } from "./types";

export type Side = "left" | "right" | "top" | "bottom";

export interface HandleSpec {
  id: string;
  side: Side;
  /** Shown next to the handle (branch names). */
  label?: string;
}

export interface NodeHandles {
  targets: HandleSpec[];
  sources: HandleSpec[];
}

export function sourceHandleId(nodeId: string, key: string = "right"): string {
  return `${nodeId}-source-${key}`;
}

export function targetHandleId(nodeId: string, key: string = "left"): string {
  return `${nodeId}-target-${key}`;
}

export function catchHandleId(nodeId: string): string {
  return `${nodeId}-source_catch-right`;
}

// Handles of the editor only (never stored): an output's value dragged onto an input sets a reference.
export function outputHandleId(nodeId: string, outputId: string): string {
  return `${nodeId}-output-${outputId}`;
}

export function inputHandleId(nodeId: string, inputKey: string): string {
  return `${nodeId}-input-${inputKey}`;
}

export type ParsedHandle =
  | { kind: "source" | "target"; key: string }
  | { kind: "output"; outputId: string }
  | { kind: "input"; inputKey: string }
  | { kind: "other"; id: string };

export function parseHandle(nodeId: string, handleId: string | null | undefined): ParsedHandle {
  const id = handleId ?? "";
  const prefix = `${nodeId}-`;
  if (id.startsWith(prefix)) {
    const rest = id.slice(prefix.length);
    for (const kind of ["source", "target"] as const) {
      if (rest.startsWith(`${kind}-`)) return { kind, key: rest.slice(kind.length + 1) };
    }
    if (rest.startsWith("output-")) return { kind: "output", outputId: rest.slice(7) };
    if (rest.startsWith("input-")) return { kind: "input", inputKey: rest.slice(6) };
  }
  return { kind: "other", id };
}

/** Node types with no incoming edge (entry points and config holders). */
const NO_TARGET = new Set(["workflowStart", "pluginInput", "userGuide", "pluginConfig", "globalVariable", "comment", "loopStart"]);
/** Node types with no plain outgoing edge (branches have their own, outputs end the flow). */
const NO_SOURCE = new Set(["userGuide", "pluginConfig", "globalVariable", "comment", "pluginOutput", "loopEnd"]);
export const BRANCH_TYPES = new Set(["ifElseNode", "classifyQuestion", "userSelect"]);

function valueOf(node: FlowNode, key: string): unknown {
  return inputsOf(node).find((input) => input.key === key)?.value;
}

/** One `{key, label}` per branch of an ifElse / classifyQuestion / userSelect node, in FastGPT's order. */
export function branchesOf(node: FlowNode): Array<{ key: string; label: string }> {
  switch (node.flowNodeType) {
    case "ifElseNode": {
      const list = valueOf(node, "ifElseList");
      const count = Array.isArray(list) ? list.length : 0;
      const branches = Array.from({ length: count }, (_, index) => {
        const key = index === 0 ? "IF" : `ELSE IF ${index}`;
        return { key, label: key };
      });
      return [...branches, { key: "ELSE", label: "ELSE" }];
    }
    case "classifyQuestion": {
      const agents = valueOf(node, "agents");
      return (Array.isArray(agents) ? agents : []).map((agent, index) => {
        const item = (agent ?? {}) as { key?: unknown; value?: unknown };
        return { key: String(item.key ?? index), label: String(item.value ?? item.key ?? "") };
      });
    }
    case "userSelect": {
      const options = valueOf(node, "userSelectOptions");
      return (Array.isArray(options) ? options : []).map((option, index) => {
        const item = (option ?? {}) as { key?: unknown; value?: unknown };
        return { key: String(item.key ?? index), label: String(item.value ?? item.key ?? "") };
      });
    }
    default:
      return [];
  }
}

function sideOf(handleId: string, fallback: Side): Side {
  const match = /-(left|right|top|bottom)$/.exec(handleId);
  return match ? (match[1] as Side) : fallback;
}

/**
 * The handles of every node that edges use beyond the standard ones, as one string per node
 * (`"s:<id>\nt:<id>"`): a string compares by value, so unchanged nodes keep their memoized card. O(edges).
 */
export function usedHandles(edges: FlowEdge[]): Map<string, string> {
  const byNode = new Map<string, string[]>();
  const add = (nodeId: string, entry: string) => {
    const list = byNode.get(nodeId);
    if (list) {
      if (!list.includes(entry)) list.push(entry);
    } else byNode.set(nodeId, [entry]);
  };
  for (const edge of edges) {
    if (edge.sourceHandle && edge.sourceHandle !== sourceHandleId(edge.source)) add(edge.source, `s:${edge.sourceHandle}`);
    if (edge.targetHandle && edge.targetHandle !== targetHandleId(edge.target)) add(edge.target, `t:${edge.targetHandle}`);
  }
  const result = new Map<string, string>();
  for (const [nodeId, list] of byNode) result.set(nodeId, list.sort().join("\n"));
  return result;
}

export function nodeHandles(node: FlowNode, extra: string = ""): NodeHandles {
  const id = node.nodeId;
  const targets: HandleSpec[] = [];
  const sources: HandleSpec[] = [];
  if (!NO_TARGET.has(node.flowNodeType)) targets.push({ id: targetHandleId(id), side: "left" });
  if (BRANCH_TYPES.has(node.flowNodeType)) {
    for (const branch of branchesOf(node)) sources.push({ id: sourceHandleId(id, branch.key), side: "right", label: branch.label });
  } else if (!NO_SOURCE.has(node.flowNodeType)) {
    sources.push({ id: sourceHandleId(id), side: "right" });
  }
  if (node.catchError === true) sources.push({ id: catchHandleId(id), side: "right", label: "Error" });
  for (const entry of extra ? extra.split("\n") : []) {
    const handleId = entry.slice(2);
    if (entry.startsWith("s:")) {
      if (!sources.some((h) => h.id === handleId)) sources.push({ id: handleId, side: sideOf(handleId, "bottom") });
    } else if (!targets.some((h) => h.id === handleId)) {
      targets.push({ id: handleId, side: sideOf(handleId, "top") });
    }
  }
  return { targets, sources };
}

/** Source handles a branch node offers; edges from its other `-source-<key>` handles are dropped when branches change. */
export function isStaleBranchEdge(node: FlowNode, edge: FlowEdge): boolean {
  if (!BRANCH_TYPES.has(node.flowNodeType) || edge.source !== node.nodeId || !edge.sourceHandle) return false;
  const parsed = parseHandle(node.nodeId, edge.sourceHandle);
  if (parsed.kind !== "source" || ["left", "right", "top", "bottom"].includes(parsed.key)) return false;
  return !branchesOf(node).some((branch) => branch.key === parsed.key);
}

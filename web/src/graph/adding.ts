// Adding a node from a template the way FastGPT's editor does: a free spot near where it was asked for,
// its question and files read from the workflow start, its model the default one.
import { addNode } from "./document";
import { nodeFromTemplate, templateOf, type NodeTemplate } from "./templates";
import { inputsOf, outputsOf, type FlowNode, type GraphDoc, type Position } from "./types";

export const DEFAULT_NODE_SIZE = { width: 320, height: 240 };
const GAP = 40;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/** The first spot, going right from `wanted`, where a node of `size` overlaps none of `rects`. */
export function freeSpot(wanted: Position, rects: Rect[], size = DEFAULT_NODE_SIZE): Position {
  const candidate: Rect = { x: wanted.x, y: wanted.y, ...size };
  for (let tries = 0; tries < 50; tries += 1) {
    const hit = rects.find((rect) => overlaps(candidate, rect));
    if (!hit) break;
    candidate.x = hit.x + hit.width + GAP;
  }
  return { x: candidate.x, y: candidate.y };
}

function startNode(doc: GraphDoc): FlowNode | undefined {
  return doc.nodes.find((node) => node.flowNodeType === "workflowStart");
}

/** Inputs FastGPT fills on a fresh node: the user question / files from the start node, the default model. */
export function prefill(node: FlowNode, doc: GraphDoc, defaultModel?: string): FlowNode {
  const start = startNode(doc);
  const startOutputs = new Set(start ? outputsOf(start).map((output) => output.key) : []);
  const inputs = inputsOf(node).map((input) => {
    if (input.value !== undefined) return input;
    if (start && input.key === "userChatInput" && input.renderTypeList?.includes("reference") && startOutputs.has("userChatInput")) {
      return { ...input, value: [start.nodeId, "userChatInput"] };
    }
    if (start && input.key === "fileUrlList" && startOutputs.has("userFiles")) {
      return { ...input, value: [[start.nodeId, "userFiles"]] };
    }
    if (defaultModel && input.key === "model") return { ...input, value: defaultModel };
    return input;
  });
  return { ...node, inputs };
}

export function addFromTemplate(
  doc: GraphDoc,
  template: NodeTemplate,
  position: Position,
  options: { defaultModel?: string; sizes?: Map<string, { width: number; height: number }> } = {},
): { doc: GraphDoc; nodeId: string } {
  const rects = doc.nodes.map((node) => ({
    x: node.position?.x ?? 0,
    y: node.position?.y ?? 0,
    ...(options.sizes?.get(node.nodeId) ?? DEFAULT_NODE_SIZE),
  }));
  const node = nodeFromTemplate(template, {
    position: freeSpot(position, rects),
    takenIds: new Set(doc.nodes.map((n) => n.nodeId)),
    takenNames: new Set(doc.nodes.map((n) => n.name)),
  });
  const filled = prefill(node, doc, options.defaultModel);
  return { doc: addNode(doc, filled), nodeId: filled.nodeId };
}

/** An empty workflow gets its start node (FastGPT's empty template), else the doc is returned as is. */
export function ensureStart(doc: GraphDoc, appType: string | undefined): GraphDoc {
  const isWorkflow = !appType || appType === "advanced" || appType === "workflow" || appType === "simple";
  if (!isWorkflow || doc.nodes.length > 0) return doc;
  const template = templateOf("workflowStart");
  if (!template) return doc;
  return addNode(doc, nodeFromTemplate(template, { position: { x: 0, y: 0 }, nodeId: "workflowStartNodeId" }));
}

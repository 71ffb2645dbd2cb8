// FastGPT's stored workflow shapes (4.8+), as the editor reads and writes them.
import type { FlowEdge, FlowNode } from "../api/types";

export type { FlowEdge, FlowNode };

/** One entry of a node's `inputs` (FastGPT `FlowNodeInputItemType`); unknown fields are kept as they are. */
export interface FlowInput {
  key: string;
  renderTypeList?: string[];
  selectedTypeIndex?: number;
  valueType?: string;
  label?: string;
  description?: string;
  placeholder?: string;
  value?: unknown;
  required?: boolean;
  list?: Array<{ label?: string; value?: unknown }>;
  min?: number;
  max?: number;
  step?: number;
  llmModelType?: string;
  [field: string]: unknown;
}

/** One entry of a node's `outputs` (FastGPT `FlowNodeOutputItemType`). */
export interface FlowOutput {
  id?: string;
  key: string;
  type?: string;
  valueType?: string;
  label?: string;
  description?: string;
  [field: string]: unknown;
}

/** `[nodeId, outputId]`: an input's value read from another node's output (or a global variable). */
export type Reference = [string, string];

/** Global variables are referenced as `[VARIABLE_NODE_ID, key]`. */
export const VARIABLE_NODE_ID = "VARIABLE_NODE_ID";

/** What the editor holds: the graph as FastGPT stores it, the loaded objects kept as they came. */
export interface GraphDoc {
  nodes: FlowNode[];
  edges: FlowEdge[];
  chatConfig: Record<string, unknown>;
}

export interface Position {
  x: number;
  y: number;
}

export function inputsOf(node: FlowNode): FlowInput[] {
  return (Array.isArray(node.inputs) ? node.inputs : []) as FlowInput[];
}

export function outputsOf(node: FlowNode): FlowOutput[] {
  return (Array.isArray(node.outputs) ? node.outputs : []) as FlowOutput[];
}

/** The id a reference to this output carries (FastGPT reads outputs by `id`; old nodes may only have `key`). */
export function outputRefId(output: FlowOutput): string {
  return typeof output.id === "string" && output.id ? output.id : output.key;
}

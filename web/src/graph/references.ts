// Reading references for display and for the picker: "Node › Output" labels, the outputs a node may read.
import { isReference, isReferenceList, upstreamNodes } from "./document";
import { labelText } from "./labels";
import { outputRefId, outputsOf, VARIABLE_NODE_ID, type FlowNode, type GraphDoc, type Reference } from "./types";

export interface RefOption {
  ref: Reference;
  nodeName: string;
  outputLabel: string;
  valueType?: string;
}

export interface RefGroup {
  nodeId: string;
  nodeName: string;
  options: RefOption[];
}

/** Outputs that carry a value (not the "add output" placeholder, not hidden or branch-only outputs). */
export function readableOutputs(node: FlowNode) {
  return outputsOf(node).filter(
    (output) => output.type !== "hidden" && output.key !== "system_addOutputParam" && output.type !== "source",
  );
}

function chatVariables(doc: GraphDoc): Array<{ key: string; label?: string; valueType?: string }> {
  const list = doc.chatConfig.variables;
  return Array.isArray(list) ? (list as Array<{ key: string; label?: string; valueType?: string }>) : [];
}

/** What the picker of `nodeId` offers: the chat variables, then every upstream node's outputs. */
export function referenceGroups(doc: GraphDoc, nodeId: string): RefGroup[] {
  const groups: RefGroup[] = [];
  const variables = chatVariables(doc);
  if (variables.length) {
    groups.push({
      nodeId: VARIABLE_NODE_ID,
      nodeName: "Global variables",
      options: variables.map((variable) => ({
        ref: [VARIABLE_NODE_ID, variable.key],
        nodeName: "Global variables",
        outputLabel: variable.label || variable.key,
        valueType: variable.valueType,
      })),
    });
  }
  for (const node of upstreamNodes(doc, nodeId)) {
    const options = readableOutputs(node).map((output) => ({
      ref: [node.nodeId, outputRefId(output)] as Reference,
      nodeName: node.name,
      outputLabel: labelText(output.label, output.key),
      valueType: output.valueType,
    }));
    if (options.length) groups.push({ nodeId: node.nodeId, nodeName: node.name, options });
  }
  return groups;
}

export type RefLabeler = (ref: Reference) => string;

/** One labeler for the whole canvas; `signature` changes only when a name or output label does. O(outputs). */
export function refIndex(doc: GraphDoc): { signature: string; label: RefLabeler } {
  const names = new Map<string, { name: string; outputs: Map<string, string> }>();
  const parts: string[] = [];
  for (const node of doc.nodes) {
    const outputs = new Map<string, string>();
    for (const output of outputsOf(node)) outputs.set(outputRefId(output), labelText(output.label, output.key));
    names.set(node.nodeId, { name: node.name, outputs });
    parts.push(node.nodeId, node.name, ...outputs.keys(), ...outputs.values());
  }
  const variables = new Map(chatVariables(doc).map((variable) => [variable.key, variable.label || variable.key]));
  parts.push(...variables.keys(), ...variables.values());
  const label: RefLabeler = ([nodeId, outputId]) => {
    if (nodeId === VARIABLE_NODE_ID) return `Global › ${variables.get(outputId) ?? outputId}`;
    const node = names.get(nodeId);
    if (!node) return `Missing node › ${outputId}`;
    return `${node.name} › ${node.outputs.get(outputId) ?? outputId}`;
  };
  return { signature: parts.join("\u0000"), label };
}

/** A short text for an input's current value, as the card shows it. */
export function valueSummary(value: unknown, label: RefLabeler): string {
  if (value === undefined || value === null || value === "") return "";
  if (isReference(value)) return value[0] ? `← ${label(value)}` : "";
  if (isReferenceList(value)) return value.map((ref) => `← ${label(ref)}`).join(", ");
  if (typeof value === "string") return value.length > 60 ? `${value.slice(0, 57)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? "" : "s"}`;
  return "{…}";
}

import { describe, expect, it } from "vitest";
import {
  connect,
  disconnect,
  fromStored,
  moveNode,
  removeNodes,
  renameNode,
  setInputValue,
  setReference,
  setRenderType,
  toStored,
  upstreamNodes,
} from "./document";
import { diffPaths, exportNames, loadGraph } from "./fixtures.test-util";
import { inputsOf, type GraphDoc } from "./types";

const NAMES = exportNames();

function storedText(graph: ReturnType<typeof loadGraph>): string {
  return JSON.stringify({ nodes: graph.nodes ?? graph.modules, edges: graph.edges ?? [], chatConfig: graph.chatConfig ?? {} });
}

function indexOf(doc: GraphDoc, nodeId: string): number {
  return doc.nodes.findIndex((node) => node.nodeId === nodeId);
}

describe("round trip of real FastGPT exports", () => {
  it("reads the whole corpus", () => {
    expect(NAMES.length).toBeGreaterThan(20);
  });

  it.each(NAMES)("%s: import then export without edits is identical", (name) => {
    const graph = loadGraph(name);
    const doc = fromStored(graph);
    expect(JSON.stringify(toStored(doc))).toBe(storedText(graph));
  });

  it.each(NAMES)("%s: moving a node changes only its position", (name) => {
    const doc = fromStored(loadGraph(name));
    const target = doc.nodes[doc.nodes.length - 1];
    const moved = moveNode(doc, target.nodeId, { x: 12.5, y: -40 });
    const index = indexOf(doc, target.nodeId);
    const expected = target.position ? [`nodes.${index}.position.x`, `nodes.${index}.position.y`] : [`nodes.${index}.position`];
    expect(diffPaths(toStored(doc), toStored(moved))).toEqual(expected);
    moved.nodes.forEach((node, i) => {
      if (i !== index) expect(node).toBe(doc.nodes[i]);
    });
  });

  it.each(NAMES)("%s: setting an input's value changes only that value", (name) => {
    const doc = fromStored(loadGraph(name));
    const index = doc.nodes.findIndex((node) => inputsOf(node).some((input) => input.renderTypeList?.[0] === "textarea"));
    if (index < 0) return;
    const node = doc.nodes[index];
    const inputIndex = inputsOf(node).findIndex((input) => input.renderTypeList?.[0] === "textarea");
    const input = inputsOf(node)[inputIndex];
    if (typeof input.selectedTypeIndex === "number" && input.selectedTypeIndex !== 0) return;
    const edited = setInputValue(doc, node.nodeId, input.key, "Edited text");
    expect(diffPaths(toStored(doc), toStored(edited))).toEqual([`nodes.${index}.inputs.${inputIndex}.value`]);
    // the edited input keeps its key order: the original with only the value replaced
    const original = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
    original.value = "Edited text";
    expect(JSON.stringify(inputsOf(edited.nodes[index])[inputIndex])).toBe(JSON.stringify(original));
  });
});

describe("edits on the CQ template", () => {
  const load = () => fromStored(loadGraph("template-CQ"));

  it("points the answer at the chat's answer text, switching it to its reference render type", () => {
    const doc = load();
    const answer = indexOf(doc, "7kwgL1dVlwG6");
    const cleared = setInputValue(doc, "7kwgL1dVlwG6", "text", "plain");
    expect(inputsOf(cleared.nodes[answer])[0].selectedTypeIndex).toBe(0);
    const edited = setReference(cleared, "7kwgL1dVlwG6", "text", ["7BdojPlukIQw", "answerText"]);
    expect(diffPaths(toStored(doc), toStored(edited))).toEqual([`nodes.${answer}.inputs.0.value.0`, `nodes.${answer}.inputs.0.value.1`]);
    expect(inputsOf(edited.nodes[answer])[0].value).toEqual(["7BdojPlukIQw", "answerText"]);
    expect(inputsOf(edited.nodes[answer])[0].selectedTypeIndex).toBe(1);
  });

  it("switching the render type drops a value of the other kind", () => {
    const doc = load();
    const answer = indexOf(doc, "7kwgL1dVlwG6");
    const edited = setRenderType(doc, "7kwgL1dVlwG6", "text", 0);
    expect(diffPaths(toStored(doc), toStored(edited)).sort()).toEqual(
      [`nodes.${answer}.inputs.0.selectedTypeIndex`, `nodes.${answer}.inputs.0.value`].sort(),
    );
  });

  it("connects and disconnects with FastGPT's edge shape", () => {
    const doc = load();
    const edge = {
      source: "7BdojPlukIQw",
      target: "7kwgL1dVlwG6",
      sourceHandle: "7BdojPlukIQw-source-right",
      targetHandle: "7kwgL1dVlwG6-target-left",
    };
    const connected = connect(doc, edge);
    expect(diffPaths(toStored(doc), toStored(connected))).toEqual([`edges.${doc.edges.length}`]);
    expect(Object.keys(connected.edges[doc.edges.length])).toEqual(["source", "target", "sourceHandle", "targetHandle"]);
    expect(connect(connected, edge)).toBe(connected);
    expect(connect(doc, { ...edge, target: edge.source })).toBe(doc);
    const back = disconnect(connected, [connected.edges[doc.edges.length]]);
    expect(JSON.stringify(toStored(back))).toBe(JSON.stringify(toStored(doc)));
  });

  it("removing a node removes its edges and leaves the rest as they were", () => {
    const doc = load();
    const removed = removeNodes(doc, ["MNMMMIjjWyMU"]);
    expect(removed.nodes).toEqual(doc.nodes.filter((node) => node.nodeId !== "MNMMMIjjWyMU"));
    removed.nodes.forEach((node) => expect(doc.nodes).toContain(node));
    expect(removed.edges.some((edge) => edge.source === "MNMMMIjjWyMU" || edge.target === "MNMMMIjjWyMU")).toBe(false);
    expect(removed.edges.length).toBe(doc.edges.length - 2);
  });

  it("changing classify categories drops the edges of a category that is gone", () => {
    const doc = load();
    const agents = [
      { value: "Interstellar", key: "wqre" },
      { value: "Greetings", key: "sdfa" },
    ];
    const edited = setInputValue(doc, "rvbo634w3AYj", "agents", agents);
    expect(edited.edges.some((edge) => edge.sourceHandle === "rvbo634w3AYj-source-agex")).toBe(false);
    expect(edited.edges.length).toBe(doc.edges.length - 1);
  });

  it("renames and lists upstream nodes nearest first", () => {
    const doc = load();
    const renamed = renameNode(doc, "7BdojPlukIQw", "Answer with quotes");
    expect(diffPaths(toStored(doc), toStored(renamed))).toEqual([`nodes.${indexOf(doc, "7BdojPlukIQw")}.name`]);
    expect(upstreamNodes(doc, "7BdojPlukIQw").map((node) => node.nodeId)).toEqual([
      "MNMMMIjjWyMU",
      "rvbo634w3AYj",
      "workflowStartNodeId",
    ]);
  });

  it("returns the same doc when nothing changes", () => {
    const doc = load();
    const start = doc.nodes[indexOf(doc, "workflowStartNodeId")];
    expect(moveNode(doc, start.nodeId, start.position!)).toBe(doc);
    expect(renameNode(doc, start.nodeId, start.name)).toBe(doc);
    expect(removeNodes(doc, ["nope"])).toBe(doc);
  });
});

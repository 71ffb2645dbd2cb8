import { describe, expect, it } from "vitest";
import { fromStored, moveNode, setInputValue, toStored } from "./document";
import { exportNames, loadGraph } from "./fixtures.test-util";
import { applyConnection, meaningOf, toCardNodes, toFlowEdges } from "./flow";
import { inputsOf } from "./types";

describe("document → React Flow", () => {
  it.each(exportNames())("%s: one drawn node per stored node and unique edge ids", (name) => {
    const doc = fromStored(loadGraph(name));
    const nodes = toCardNodes(doc);
    expect(nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.nodeId));
    const edges = toFlowEdges(doc);
    expect(new Set(edges.map((e) => e.id)).size).toBe(doc.edges.length);
    edges.forEach((edge, i) => expect(edge.data?.stored).toBe(doc.edges[i]));
  });

  it("keeps the drawn objects of untouched nodes after an edit", () => {
    const doc = fromStored(loadGraph("template-CQ"));
    const before = toCardNodes(doc).map((node) => ({ ...node, measured: { width: 300, height: 200 }, selected: false }));
    const edited = setInputValue(doc, "7BdojPlukIQw", "systemPrompt", "Be brief");
    const after = toCardNodes(edited, before);
    after.forEach((node, i) => {
      if (node.id === "7BdojPlukIQw") {
        expect(node).not.toBe(before[i]);
        expect(node.measured).toEqual({ width: 300, height: 200 });
      } else expect(node).toBe(before[i]);
    });
    const moved = toCardNodes(moveNode(edited, "7BdojPlukIQw", { x: 5, y: 6 }), after);
    expect(moved.find((n) => n.id === "7BdojPlukIQw")?.position).toEqual({ x: 5, y: 6 });
  });

  it("hands back the very same lists when nothing changed", () => {
    const doc = fromStored(loadGraph("template-CQ"));
    const nodes = toCardNodes(doc);
    const edges = toFlowEdges(doc);
    expect(toCardNodes(doc, nodes)).toBe(nodes);
    expect(toFlowEdges(doc, edges)).toBe(edges);
  });

  it("marks run status on the node it concerns only", () => {
    const doc = fromStored(loadGraph("template-CQ"));
    const before = toCardNodes(doc);
    const after = toCardNodes(doc, before, { rvbo634w3AYj: "running" });
    after.forEach((node, i) => {
      if (node.id === "rvbo634w3AYj") expect(node.data.status).toBe("running");
      else expect(node).toBe(before[i]);
    });
  });

  it("starts and workflow config nodes cannot be deleted", () => {
    const nodes = toCardNodes(fromStored(loadGraph("template-CQ")));
    expect(nodes.find((n) => n.id === "workflowStartNodeId")?.deletable).toBe(false);
    expect(nodes.find((n) => n.id === "7BdojPlukIQw")?.deletable).toBe(true);
  });
});

describe("what a drawn connection means", () => {
  it("node handle to node handle is an edge", () => {
    const meaning = meaningOf({
      source: "a",
      target: "b",
      sourceHandle: "a-source-right",
      targetHandle: "b-target-left",
    });
    expect(meaning).toEqual({
      kind: "edge",
      edge: { source: "a", target: "b", sourceHandle: "a-source-right", targetHandle: "b-target-left" },
    });
  });

  it("an output dropped on an input is a reference, never an edge", () => {
    const doc = fromStored(loadGraph("template-CQ"));
    const connection = {
      source: "7BdojPlukIQw",
      target: "7kwgL1dVlwG6",
      sourceHandle: "7BdojPlukIQw-output-answerText",
      targetHandle: "7kwgL1dVlwG6-input-text",
    };
    expect(meaningOf(connection).kind).toBe("reference");
    const edited = applyConnection(doc, connection);
    expect(edited.edges).toBe(doc.edges);
    const answer = edited.nodes.find((n) => n.nodeId === "7kwgL1dVlwG6")!;
    expect(inputsOf(answer)[0].value).toEqual(["7BdojPlukIQw", "answerText"]);
  });

  it("refuses mixed and self connections", () => {
    expect(meaningOf({ source: "a", target: "b", sourceHandle: "a-output-x", targetHandle: "b-target-left" }).kind).toBe("invalid");
    expect(meaningOf({ source: "a", target: "b", sourceHandle: "a-source-right", targetHandle: "b-input-x" }).kind).toBe("invalid");
    expect(meaningOf({ source: "a", target: "a", sourceHandle: "a-source-right", targetHandle: "a-target-left" }).kind).toBe("invalid");
  });

  it("an edge drawn on a real export is appended in FastGPT's shape", () => {
    const doc = fromStored(loadGraph("template-CQ"));
    const edited = applyConnection(doc, {
      source: "7kwgL1dVlwG6",
      target: "7BdojPlukIQw",
      sourceHandle: "7kwgL1dVlwG6-source-right",
      targetHandle: "7BdojPlukIQw-target-left",
    });
    const stored = toStored(edited);
    expect(stored.edges.slice(0, -1)).toEqual(doc.edges);
    expect(JSON.stringify(stored.edges.at(-1))).toBe(
      '{"source":"7kwgL1dVlwG6","target":"7BdojPlukIQw","sourceHandle":"7kwgL1dVlwG6-source-right","targetHandle":"7BdojPlukIQw-target-left"}',
    );
  });
});

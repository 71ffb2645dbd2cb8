import { describe, expect, it } from "vitest";
import { fromStored } from "./document";
import { exportNames, loadGraph } from "./fixtures.test-util";
import { branchesOf, catchHandleId, nodeHandles, parseHandle, sourceHandleId, targetHandleId, usedHandles } from "./handles";

describe("FastGPT handle ids", () => {
  it("follows getHandleId", () => {
    expect(sourceHandleId("abc")).toBe("abc-source-right");
    expect(targetHandleId("abc")).toBe("abc-target-left");
    expect(sourceHandleId("abc", "ELSE IF 1")).toBe("abc-source-ELSE IF 1");
    expect(catchHandleId("abc")).toBe("abc-source_catch-right");
  });

  it("parses the editor's own handles apart from stored ones", () => {
    expect(parseHandle("n1", "n1-source-IF")).toEqual({ kind: "source", key: "IF" });
    expect(parseHandle("n1", "n1-target-top")).toEqual({ kind: "target", key: "top" });
    expect(parseHandle("n1", "n1-output-answerText")).toEqual({ kind: "output", outputId: "answerText" });
    expect(parseHandle("n1", "n1-input-text")).toEqual({ kind: "input", inputKey: "text" });
    expect(parseHandle("n1", "selectedTools")).toEqual({ kind: "other", id: "selectedTools" });
  });
});

describe("handles drawn for real exports", () => {
  it.each(exportNames())("%s: every stored edge finds its handles", (name) => {
    const doc = fromStored(loadGraph(name));
    const extras = usedHandles(doc.edges);
    const handles = new Map(doc.nodes.map((node) => [node.nodeId, nodeHandles(node, extras.get(node.nodeId))]));
    for (const edge of doc.edges) {
      expect(handles.get(edge.source)?.sources.map((h) => h.id)).toContain(edge.sourceHandle);
      expect(handles.get(edge.target)?.targets.map((h) => h.id)).toContain(edge.targetHandle);
    }
  });

  it("gives classify, if/else and user select one handle per branch", () => {
    const cq = fromStored(loadGraph("template-CQ"));
    const classify = cq.nodes.find((node) => node.flowNodeType === "classifyQuestion")!;
    expect(nodeHandles(classify).sources.map((h) => h.id)).toEqual([
      "rvbo634w3AYj-source-wqre",
      "rvbo634w3AYj-source-sdfa",
      "rvbo634w3AYj-source-agex",
    ]);
    const google = fromStored(loadGraph("doc-google_search-extract"));
    const ifElse = google.nodes.find((node) => node.flowNodeType === "ifElseNode")!;
    expect(branchesOf(ifElse).map((b) => b.key)).toEqual(["IF", "ELSE"]);
    const select = {
      nodeId: "s1",
      name: "Pick",
      flowNodeType: "userSelect",
      inputs: [{ key: "userSelectOptions", value: [{ key: "a", value: "Yes" }, { key: "b", value: "No" }] }],
      outputs: [],
    };
    expect(nodeHandles(select).sources.map((h) => [h.id, h.label])).toEqual([
      ["s1-source-a", "Yes"],
      ["s1-source-b", "No"],
    ]);
    expect(nodeHandles(select).targets.map((h) => h.id)).toEqual(["s1-target-left"]);
  });

  it("gives the start node no target and a node with catchError its error branch", () => {
    const start = { nodeId: "st", name: "Start", flowNodeType: "workflowStart", inputs: [], outputs: [] };
    expect(nodeHandles(start)).toEqual({ targets: [], sources: [{ id: "st-source-right", side: "right" }] });
    const http = { nodeId: "h", name: "HTTP", flowNodeType: "httpRequest468", catchError: true, inputs: [], outputs: [] };
    expect(nodeHandles(http).sources.map((h) => h.id)).toEqual(["h-source-right", "h-source_catch-right"]);
  });
});

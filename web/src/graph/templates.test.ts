import { describe, expect, it } from "vitest";
import { addFromTemplate, ensureStart, freeSpot } from "./adding";
import { fromStored, toStored } from "./document";
import { newNodeId } from "./ids";
import { nodeFromTemplate, TEMPLATES, templateOf } from "./templates";
import { inputsOf, outputsOf } from "./types";

const COMMON = [
  "chatNode",
  "datasetSearchNode",
  "datasetConcatNode",
  "answerNode",
  "classifyQuestion",
  "contentExtract",
  "httpRequest468",
  "ifElseNode",
  "code",
  "variableUpdate",
  "userSelect",
  "formInput",
  "textEditor",
];

describe("node templates", () => {
  it("cover FastGPT's common nodes", () => {
    expect(TEMPLATES.map((t) => t.flowNodeType)).toEqual(expect.arrayContaining(COMMON));
  });

  it.each(TEMPLATES.map((t) => [t.flowNodeType, t] as const))("%s declares distinct inputs and outputs", (_, template) => {
    const keys = template.inputs.map((input) => input.key);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = template.outputs.map((output) => output.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const input of template.inputs) expect(input.renderTypeList?.length).toBeGreaterThan(0);
  });

  it("makes stored nodes in FastGPT's key order, with fresh ids and unique names", () => {
    const chat = templateOf("chatNode")!;
    const node = nodeFromTemplate(chat, { position: { x: 1, y: 2 }, takenNames: new Set(["AI Chat"]) });
    expect(Object.keys(node)).toEqual(["nodeId", "name", "intro", "avatar", "flowNodeType", "showStatus", "position", "version", "inputs", "outputs"]);
    expect(node.nodeId).toMatch(/^[a-zA-Z][a-zA-Z0-9]{11}$/);
    expect(node.name).toBe("AI Chat 2");
    // a copy: editing the node leaves the template alone
    inputsOf(node)[0].value = "changed";
    expect(chat.inputs[0].value).toBeUndefined();
    expect(outputsOf(node).map((o) => o.key)).toEqual(["history", "answerText", "reasoningText"]);
  });

  it("new ids avoid the taken ones", () => {
    const taken = new Set(Array.from({ length: 50 }, () => newNodeId()));
    const id = newNodeId(taken);
    expect(taken.has(id)).toBe(false);
    expect(id).toHaveLength(12);
  });
});

describe("adding nodes", () => {
  it("starts an empty workflow with its start node", () => {
    const doc = ensureStart(fromStored({}), "advanced");
    expect(doc.nodes.map((n) => [n.nodeId, n.flowNodeType])).toEqual([["workflowStartNodeId", "workflowStart"]]);
    expect(ensureStart(doc, "advanced")).toBe(doc);
    expect(ensureStart(fromStored({}), "plugin").nodes).toEqual([]);
  });

  it("reads the question and files from the start node and uses the default model", () => {
    const start = ensureStart(fromStored({}), "advanced");
    const { doc, nodeId } = addFromTemplate(start, templateOf("chatNode")!, { x: 0, y: 0 }, { defaultModel: "gpt-test" });
    const chat = doc.nodes.find((n) => n.nodeId === nodeId)!;
    const value = (key: string) => inputsOf(chat).find((input) => input.key === key)?.value;
    expect(value("userChatInput")).toEqual(["workflowStartNodeId", "userChatInput"]);
    expect(value("fileUrlList")).toEqual([["workflowStartNodeId", "userFiles"]]);
    expect(value("model")).toBe("gpt-test");
    // placed beside the start node, not on top of it
    expect(chat.position!.x).toBeGreaterThan(300);
    expect(JSON.stringify(toStored(doc).nodes[0])).toBe(JSON.stringify(start.nodes[0]));
  });

  it("finds a free spot to the right of what is in the way", () => {
    const rects = [
      { x: 0, y: 0, width: 100, height: 100 },
      { x: 140, y: 0, width: 100, height: 100 },
    ];
    expect(freeSpot({ x: 10, y: 10 }, rects, { width: 50, height: 50 })).toEqual({ x: 280, y: 10 });
    expect(freeSpot({ x: 0, y: 500 }, rects, { width: 50, height: 50 })).toEqual({ x: 0, y: 500 });
  });
});

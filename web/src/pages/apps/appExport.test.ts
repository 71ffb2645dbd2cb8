import { describe, expect, it } from "vitest";
import { exportOf, parseExport } from "./appExport";

describe("FastGPT export", () => {
  it("reads 4.8+ nodes and legacy modules", () => {
    const nodes = [{ nodeId: "a", name: "A", flowNodeType: "answerNode", inputs: [], outputs: [] }];
    expect(parseExport(JSON.stringify({ nodes, edges: [], chatConfig: { welcomeText: "hi" } }))).toEqual({
      nodes,
      edges: [],
      chatConfig: { welcomeText: "hi" },
    });
    expect(parseExport(JSON.stringify({ modules: nodes })).nodes).toEqual(nodes);
  });

  it("refuses text that is not an export, saying why", () => {
    expect(() => parseExport("{nope")).toThrow(/Not JSON/);
    expect(() => parseExport(JSON.stringify({ edges: [] }))).toThrow(/no `nodes`/);
  });

  it("exports what it imports", () => {
    const text = JSON.stringify({ nodes: [], edges: [], chatConfig: { variables: [] } });
    const app = { _id: "x", name: "n", type: "advanced", modules: [], edges: [], chatConfig: { variables: [] } };
    expect(JSON.stringify(exportOf(app))).toBe(text);
  });
});

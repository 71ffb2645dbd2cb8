import { describe, expect, it } from "vitest";
import { messageParts, nodeRows } from "./messageParts";

describe("messageParts", () => {
  it("reads text, reasoning, files, tool calls and interactive prompts", () => {
    const value = [
      { type: "reasoning", reasoning: { content: "thinking" } },
      { type: "text", text: { content: "Hello <b>there</b>" } },
      { type: "file", file: { type: "image", name: "cat.png", url: "/f/cat.png" } },
      { type: "tool", tools: [{ toolName: "Search", params: '{"q":"x"}', response: "found" }] },
      { type: "interactive", interactive: { type: "userSelect", params: { description: "Pick one" } } },
    ];
    expect(messageParts(value)).toEqual([
      { kind: "reasoning", text: "thinking" },
      { kind: "text", text: "Hello <b>there</b>" },
      { kind: "file", text: "cat.png" },
      { kind: "tool", text: 'Search({"q":"x"}) → found' },
      { kind: "interactive", text: "Pick one" },
    ]);
  });

  it("drops empty and unknown entries and tolerates junk", () => {
    expect(messageParts([{ type: "text", text: { content: "  " } }, { type: "mystery" }, null, 3])).toEqual([]);
    expect(messageParts("not a list")).toEqual([]);
  });
});

describe("nodeRows", () => {
  it("summarises each node response", () => {
    const rows = nodeRows([
      { id: "r1", nodeId: "n1", moduleName: "AI chat", moduleType: "chatNode", runningTime: 1.2, totalPoints: 0.5,
        model: "gpt-4o-mini", inputTokens: 10, outputTokens: 4 },
      { nodeId: "n2", moduleType: "httpRequest468", errorText: "timeout", tokens: 7 },
    ]);
    expect(rows).toEqual([
      { key: "r1", name: "AI chat", type: "chatNode", seconds: 1.2, points: 0.5, model: "gpt-4o-mini",
        tokens: "10 in / 4 out", error: "" },
      { key: "n2-1", name: "n2", type: "httpRequest468", seconds: undefined, points: undefined, model: "",
        tokens: "7", error: "timeout" },
    ]);
  });
});

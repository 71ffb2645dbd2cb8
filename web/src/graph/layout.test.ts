import { describe, expect, it } from "vitest";
import { layeredPositions, placeUnplaced, COLUMN_WIDTH, ROW_HEIGHT } from "./layout";
import type { FlowNode, GraphDoc } from "./types";

function node(nodeId: string): FlowNode {
  return { nodeId, name: nodeId, flowNodeType: "answerNode", inputs: [], outputs: [] } as FlowNode;
}

describe("layeredPositions", () => {
  it("puts each node one column right of its furthest predecessor, rows in document order", () => {
    const doc = {
      nodes: [node("start"), node("a"), node("b"), node("end")],
      edges: [
        { source: "start", target: "a" },
        { source: "start", target: "b" },
        { source: "a", target: "end" },
        { source: "b", target: "end" },
      ],
    } as unknown as GraphDoc;
    const at = layeredPositions(doc);
    expect(at.get("start")).toEqual({ x: 0, y: 0 });
    expect(at.get("a")).toEqual({ x: COLUMN_WIDTH, y: 0 });
    expect(at.get("b")).toEqual({ x: COLUMN_WIDTH, y: ROW_HEIGHT });
    expect(at.get("end")).toEqual({ x: 2 * COLUMN_WIDTH, y: 0 });
  });

  it("terminates on cycles and ignores edges to missing nodes", () => {
    const doc = {
      nodes: [node("s"), node("x"), node("y")],
      edges: [
        { source: "s", target: "x" },
        { source: "x", target: "y" },
        { source: "y", target: "x" },
        { source: "y", target: "ghost" },
      ],
    } as unknown as GraphDoc;
    const at = layeredPositions(doc);
    expect(at.size).toBe(3);
    expect(at.get("s")).toEqual({ x: 0, y: 0 });
  });
});

describe("placeUnplaced", () => {
  const edges = [{ source: "s", target: "x" }];
  it("lays out graphs whose nodes all sit on one spot or have no position", () => {
    const stacked = {
      nodes: [{ ...node("s"), position: { x: 0, y: 0 } }, { ...node("x"), position: { x: 0, y: 0 } }],
      edges,
    } as unknown as GraphDoc;
    expect(placeUnplaced(stacked).nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: COLUMN_WIDTH, y: 0 },
    ]);
    const bare = { nodes: [node("s"), node("x")], edges } as unknown as GraphDoc;
    expect(placeUnplaced(bare).nodes[1].position).toEqual({ x: COLUMN_WIDTH, y: 0 });
  });

  it("leaves placed graphs untouched (the same object)", () => {
    const placed = {
      nodes: [{ ...node("s"), position: { x: 5, y: 5 } }, { ...node("x"), position: { x: 300, y: 5 } }],
      edges,
    } as unknown as GraphDoc;
    expect(placeUnplaced(placed)).toBe(placed);
  });
});

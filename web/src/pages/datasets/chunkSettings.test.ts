import { describe, expect, it } from "vitest";
import { chunkFormError, chunkParams, DEFAULT_CHUNK_FORM } from "./chunkSettings";

describe("chunkParams", () => {
  it("sends only the training type and auto mode by default", () => {
    expect(chunkParams(DEFAULT_CHUNK_FORM)).toEqual({ trainingType: "chunk", chunkSettingMode: "auto" });
  });

  it("sends the split mode and a numeric size in custom mode", () => {
    const form = {
      ...DEFAULT_CHUNK_FORM,
      trainingType: "qa" as const,
      settingMode: "custom" as const,
      splitMode: "size" as const,
      chunkSize: " 300 ",
    };
    expect(chunkParams(form)).toEqual({
      trainingType: "qa",
      chunkSettingMode: "custom",
      chunkSplitMode: "size",
      chunkSize: 300,
    });
  });

  it("asks to split short texts with forceChunk", () => {
    expect(chunkParams({ ...DEFAULT_CHUNK_FORM, forceChunk: true }).chunkTriggerType).toBe("forceChunk");
  });
});

describe("chunkFormError", () => {
  it("accepts auto mode whatever the size field holds", () => {
    expect(chunkFormError({ ...DEFAULT_CHUNK_FORM, chunkSize: "" })).toBeNull();
  });

  it("refuses an empty, fractional or too small custom size", () => {
    for (const chunkSize of ["", "12.5", "10", "abc"]) {
      expect(chunkFormError({ ...DEFAULT_CHUNK_FORM, settingMode: "custom", chunkSize })).toMatch(/at least 64/);
    }
    expect(chunkFormError({ ...DEFAULT_CHUNK_FORM, settingMode: "custom", chunkSize: "64" })).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { coerce, initialValues, missingVariables, visibleVariables } from "./variables";

const chatConfig = {
  variables: [
    { key: "name", label: "Name", type: "input", required: true },
    { key: "level", label: "Level", type: "select", list: [{ label: "Easy", value: "easy" }], defaultValue: "easy" },
    { key: "count", label: "Count", type: "numberInput", valueType: "number" },
    { key: "token", label: "Token", type: "custom" },
    { key: "secret", label: "Secret", type: "internal" },
    { label: "no key" },
  ],
};

describe("variables", () => {
  it("lists what a user fills in (not external or internal ones)", () => {
    expect(visibleVariables(chatConfig).map((v) => v.key)).toEqual(["name", "level", "count"]);
    expect(visibleVariables({})).toEqual([]);
  });

  it("starts from the chat's stored values, else the defaults, and names the missing required ones", () => {
    const defs = visibleVariables(chatConfig);
    expect(initialValues(defs)).toEqual({ level: "easy" });
    expect(initialValues(defs, { name: "Ann" })).toEqual({ name: "Ann", level: "easy" });
    expect(missingVariables(defs, { level: "easy" })).toEqual(["Name"]);
    expect(missingVariables(defs, { name: "Ann" })).toEqual([]);
  });

  it("sends numbers for number inputs", () => {
    const count = visibleVariables(chatConfig)[2];
    expect(coerce(count, "12")).toBe(12);
    expect(coerce(count, "")).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { fromStored, renameNode, setChatConfig, setInputValue } from "./document";
import { loadGraph } from "./fixtures.test-util";
import { hintText, labelText } from "./labels";
import { referenceGroups, refIndex, valueSummary } from "./references";

describe("references", () => {
  const doc = fromStored(loadGraph("template-CQ"));

  it("offers the outputs of upstream nodes only", () => {
    const groups = referenceGroups(doc, "7kwgL1dVlwG6");
    expect(groups.map((g) => g.nodeId)).toEqual(["rvbo634w3AYj", "workflowStartNodeId"]);
    expect(groups[0].options.map((o) => o.ref)).toEqual([["rvbo634w3AYj", "cqResult"]]);
  });

  it("offers chat variables first", () => {
    const withVars = setChatConfig(doc, { variables: [{ key: "city", label: "City", valueType: "string" }] });
    expect(referenceGroups(withVars, "7kwgL1dVlwG6")[0].options[0]).toMatchObject({
      ref: ["VARIABLE_NODE_ID", "city"],
      outputLabel: "City",
    });
  });

  it("labels references by node name and output label", () => {
    const { label } = refIndex(doc);
    expect(label(["7BdojPlukIQw", "answerText"])).toBe("AI 对话 › AI response");
    expect(valueSummary(["gone", "x"], label)).toBe("← Missing node › x");
    expect(valueSummary("a".repeat(100), label)).toHaveLength(58);
  });

  it("changes its signature on renames only", () => {
    const before = refIndex(doc).signature;
    expect(refIndex(setInputValue(doc, "7BdojPlukIQw", "systemPrompt", "x")).signature).toBe(before);
    expect(refIndex(renameNode(doc, "7BdojPlukIQw", "Chat")).signature).not.toBe(before);
  });
});

describe("labels", () => {
  it("shows FastGPT's i18n keys in English and keeps plain labels", () => {
    expect(labelText("common:core.module.input.label.aiModel")).toBe("AI model");
    expect(labelText("core.module.input.label.chat history")).toBe("Chat history");
    expect(labelText("workflow:max_dialog_rounds")).toBe("Max dialog rounds");
    expect(labelText("用户问题")).toBe("用户问题");
    expect(labelText("", "system_httpMethod")).toBe("Method");
    expect(labelText("", "system_someThing")).toBe("Some Thing");
  });

  it("keeps plain hints, translates known keys and drops unknown ones", () => {
    expect(hintText("Ask about the weather")).toBe("Ask about the weather");
    expect(hintText("https://api.ai.com/getInventory")).toBe("https://api.ai.com/getInventory");
    expect(hintText("common:core.module.input.label.Response content")).toBe("Response content");
    expect(hintText("common:core.app.tip.chatNodeSystemPromptTip")).toBe("");
    expect(hintText(undefined)).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { messageText, pendingInteractive } from "./messageModel";
import recorded from "./recordedStreams.json";
import { publicInteractive, recordsToMessages, type StoredRecord } from "./records";

describe("stored records", () => {
  it("strip the engine's state from an answered interaction, which is then no longer pending", () => {
    const messages = recordsToMessages(recorded.selectRecords as StoredRecord[]);
    expect(messages.map((m) => m.role)).toEqual(["Human", "AI"]);
    const part = messages[1].value[0];
    expect(part).toEqual({
      type: "interactive",
      interactive: {
        type: "userSelect",
        params: {
          description: "Pick a size for hat",
          userSelectOptions: [
            { value: "Small", key: "optSmall" },
            { value: "Large", key: "optLarge" },
          ],
          userSelectedVal: "Large",
        },
      },
    });
    expect(pendingInteractive(messages)).toBeNull();
  });

  it("read votes, errors, quotes and FastGPT's untyped older parts; hide System and hidden items", () => {
    const records: StoredRecord[] = [
      { dataId: "s", obj: "System", value: [{ text: { content: "prompt" } }] },
      { dataId: "h", obj: "Human", value: [{ text: { content: "hello" } }, { type: "file", file: { type: "image", name: "a.png", url: "/a.png" } }] },
      { dataId: "x", obj: "Human", value: [{ text: { content: "hidden" } }], hideInUI: true },
      {
        dataId: "a",
        obj: "AI",
        value: [{ text: { content: "hi" } }],
        userBadFeedback: "yes",
        errorMsg: "late",
        totalQuoteList: [{ id: "q1", q: "Q", a: "A", sourceName: "doc.md", score: [{ type: "rrf", value: 0.5 }] }],
      },
    ];
    const [human, answer, ...rest] = recordsToMessages(records);
    expect(rest).toEqual([]);
    expect(human.value).toEqual([
      { type: "text", text: "hello" },
      { type: "file", file: { type: "image", name: "a.png", url: "/a.png" } },
    ]);
    expect(messageText(answer)).toBe("hi");
    expect(answer).toMatchObject({ vote: "bad", error: "late", status: "finish" });
    expect(answer.quotes).toEqual([{ id: "q1", q: "Q", a: "A", sourceName: "doc.md", score: 0.5, collectionId: undefined, datasetId: undefined }]);
  });

  it("unwrap child-app and loop interactions to the question asked", () => {
    const wrapped = {
      type: "childrenInteractive",
      entryNodeIds: ["call"],
      params: { childrenResponse: { type: "userSelect", entryNodeIds: ["s"], params: { description: "Pick" } } },
    };
    expect(publicInteractive(wrapped)).toEqual({ type: "userSelect", params: { description: "Pick" } });
    expect(publicInteractive(null)).toBeNull();
  });
});

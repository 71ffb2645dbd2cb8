import { describe, expect, it } from "vitest";
import type { SseEvent } from "../../api/sse";
import { humanMessage, messageText, pendingAnswer, pendingInteractive, type ChatMessage } from "./messageModel";
import recorded from "./recordedStreams.json";
import { recordsToMessages, type StoredRecord } from "./records";
import { chatReducer, emptyChat, type ChatState } from "./streamReducer";

function feed(state: ChatState, dataId: string, events: SseEvent[]): ChatState {
  return events.reduce((s, event) => chatReducer(s, { type: "sse", dataId, event }), state);
}

function sent(question: string, answerId = "ai1"): ChatState {
  return chatReducer(emptyChat, { type: "send", human: humanMessage("h1", question), answer: pendingAnswer(answerId) });
}

function answerOf(state: ChatState): ChatMessage {
  return state.messages[state.messages.length - 1];
}

const named = (event: string, data: unknown): SseEvent => ({ event, data: JSON.stringify(data) });
const chunk = (content: string) => ({ choices: [{ delta: { role: "assistant", content }, index: 0, finish_reason: null }] });

describe("a recorded demo-app stream", () => {
  it("shows the running node while it runs, then the streamed answer and the node responses", () => {
    let state = sent("hi");
    expect(answerOf(state).status).toBe("loading");
    state = feed(state, "ai1", recorded.demo.slice(0, 1));
    expect(answerOf(state).runningNode).toBe("AI Chat");
    state = feed(state, "ai1", recorded.demo.slice(1));
    const answer = answerOf(state);
    expect(messageText(answer)).toBe("Hello **there**, friend");
    expect(answer.durationSeconds).toBe(0.02);
    expect(answer.responses?.map((r) => r.moduleType)).toEqual(["workflowStart", "chatNode"]);
    state = chatReducer(state, { type: "end", dataId: "ai1" });
    expect(answerOf(state).status).toBe("finish");
    expect(answerOf(state).runningNode).toBeUndefined();
  });

  it("ends as the stored record of the same round reads", () => {
    let state = feed(sent("hi"), "ai1", recorded.demo);
    state = chatReducer(state, { type: "end", dataId: "ai1" });
    const stored = recordsToMessages(recorded.demoRecords as StoredRecord[]);
    expect(state.messages.map((m) => [m.dataId, m.role, messageText(m)])).toEqual(
      stored.map((m) => [m.dataId, m.role, messageText(m)]),
    );
  });

  it("leaves other messages alone", () => {
    const state = feed(sent("hi"), "someone-else", recorded.demo);
    expect(messageText(answerOf(state))).toBe("");
  });
});

describe("a recorded userSelect round", () => {
  it("pauses on the options, then continues the same answer with the chosen branch", () => {
    let state = feed(sent("hat"), "ai1", recorded.select);
    state = chatReducer(state, { type: "end", dataId: "ai1" });
    const pending = pendingInteractive(state.messages);
    expect(pending?.type).toBe("userSelect");
    expect(pending?.params.userSelectOptions?.map((o) => o.value)).toEqual(["Small", "Large"]);

    state = chatReducer(state, { type: "resume", answer: "Large" });
    expect(state.messages).toHaveLength(2);
    expect(pendingInteractive(state.messages)).toBeNull();
    state = feed(state, "ai1", recorded.selectResume);
    state = chatReducer(state, { type: "end", dataId: "ai1" });
    const answer = answerOf(state);
    expect(messageText(answer)).toBe("\nLarge!");
    const stored = recordsToMessages(recorded.selectRecords as StoredRecord[]);
    expect(answer.value).toEqual(stored[1].value);
  });

  it("records form answers as submitted values", () => {
    const form = named("interactive", {
      interactive: {
        type: "userInput",
        params: {
          description: "Your details",
          inputForm: [
            { type: "input", key: "name", label: "Name", required: true },
            { type: "numberInput", key: "age", label: "Age" },
          ],
        },
      },
    });
    let state = chatReducer(feed(sent("shirt"), "ai1", [form]), { type: "end", dataId: "ai1" });
    expect(pendingInteractive(state.messages)?.type).toBe("userInput");
    state = chatReducer(state, { type: "resume", answer: JSON.stringify({ name: "Ann", age: 7 }) });
    const part = answerOf(state).value[0];
    expect(part.type === "interactive" && part.interactive.params.submitted).toBe(true);
    expect(part.type === "interactive" && part.interactive.params.inputForm?.map((f) => f.value)).toEqual(["Ann", 7]);
  });
});

describe("named events", () => {
  it("collects the quotes of dataset-search responses as citations (score lists included)", () => {
    const responses = [
      {
        moduleName: "Dataset search",
        moduleType: "datasetSearchNode",
        quoteList: [
          { id: "q1", q: "Who directed it?", a: "Makoto Shinkai.", sourceName: "film.csv", score: [{ type: "embedding", value: 0.89, index: 0 }] },
          { id: "q2", q: "Lead?", a: "Suzume.", sourceName: "film.csv", score: 0.86 },
        ],
      },
      { moduleName: "AI Chat", moduleType: "chatNode", quoteList: [{ id: "q1", q: "dup", a: "", sourceName: "x" }] },
    ];
    const state = feed(sent("who?"), "ai1", [named("flowResponses", responses)]);
    expect(answerOf(state).quotes.map((q) => [q.id, q.sourceName, q.score])).toEqual([
      ["q1", "film.csv", 0.89],
      ["q2", "film.csv", 0.86],
    ]);
  });

  it("shows tool calls compactly: name, streamed parameters, response", () => {
    const tool = (fields: Record<string, string>) => ({ tool: { id: "call1", toolName: "", params: "", response: "", ...fields } });
    const state = feed(sent("time?"), "ai1", [
      named("toolCall", tool({ toolName: "getTime" })),
      named("toolParams", tool({ params: '{"tz":' })),
      named("toolParams", tool({ params: '"UTC"}' })),
      named("toolResponse", tool({ response: "12:00" })),
      named("answer", chunk("It is noon.")),
    ]);
    const [tools, text] = answerOf(state).value;
    expect(tools).toEqual({ type: "tool", tools: [{ id: "call1", toolName: "getTime", params: '{"tz":"UTC"}', response: "12:00" }] });
    expect(text).toEqual({ type: "text", text: "It is noon." });
  });

  it("keeps reasoning apart from the answer", () => {
    const state = feed(sent("why?"), "ai1", [
      named("answer", { choices: [{ delta: { reasoning_content: "Think", content: "" } }] }),
      named("answer", { choices: [{ delta: { reasoning_content: "ing." } }] }),
      named("answer", chunk("Because.")),
    ]);
    expect(answerOf(state).value).toEqual([
      { type: "reasoning", text: "Thinking." },
      { type: "text", text: "Because." },
    ]);
  });

  it("turns an error event into the answer's error, keeping what streamed before", () => {
    const state = feed(sent("boom"), "ai1", [
      named("answer", chunk("Part")),
      named("error", { code: 500, statusText: "error", message: "model down", error: { message: "model down" } }),
    ]);
    expect(answerOf(state).error).toBe("model down");
    expect(messageText(answerOf(state))).toBe("Part");
  });

  it("marks a stopped answer and a failed request", () => {
    let state = feed(sent("long"), "ai1", [named("answer", chunk("Once upon"))]);
    state = chatReducer(state, { type: "stopped", dataId: "ai1" });
    expect(answerOf(state)).toMatchObject({ status: "finish", stopped: true });
    state = chatReducer(sent("again", "ai2"), { type: "failed", dataId: "ai2", message: "Invalid API key" });
    expect(answerOf(state)).toMatchObject({ status: "finish", error: "Invalid API key" });
  });

  it("ignores events it does not know and [DONE]", () => {
    const before = sent("x");
    const after = feed(before, "ai1", [
      { event: "answer", data: "[DONE]" },
      named("updateVariables", { a: 1 }),
      named("chatTitle", { title: "t" }),
    ]);
    expect(answerOf(after)).toEqual(answerOf(before));
  });
});

describe("loading and votes", () => {
  it("prepends earlier pages without duplicates and records votes", () => {
    const stored = recordsToMessages(recorded.demoRecords as StoredRecord[]);
    let state = chatReducer(emptyChat, { type: "load", messages: stored.slice(1) });
    state = chatReducer(state, { type: "prepend", messages: stored });
    expect(state.messages.map((m) => m.dataId)).toEqual(["h1", "ai1"]);
    state = chatReducer(state, { type: "vote", dataId: "ai1", vote: "good" });
    expect(state.messages[1].vote).toBe("good");
  });
});

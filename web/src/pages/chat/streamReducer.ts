// The conversation state and how FastGPT's named SSE events (detail streams) change it.
// Pure functions: the page feeds actions, the tests feed recorded event sequences.
import type { SseEvent } from "../../api/sse";
import {
  quotesOf,
  type ChatMessage,
  type Interactive,
  type NodeResponse,
  type ToolRun,
  type ValuePart,
  type Vote,
} from "./messageModel";
import { publicInteractive } from "./records";

export interface ChatState {
  messages: ChatMessage[];
}

export type ChatAction =
  | { type: "load"; messages: ChatMessage[] }
  | { type: "prepend"; messages: ChatMessage[] }
  | { type: "send"; human: ChatMessage; answer: ChatMessage }
  | { type: "resume"; answer: string }
  | { type: "sse"; dataId: string; event: SseEvent }
  | { type: "end"; dataId: string }
  | { type: "stopped"; dataId: string }
  | { type: "failed"; dataId: string; message: string }
  | { type: "vote"; dataId: string; vote: Vote }
  | { type: "responses"; dataId: string; responses: NodeResponse[] };

export const emptyChat: ChatState = { messages: [] };

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "load":
      return { messages: action.messages };
    case "prepend": {
      const known = new Set(state.messages.map((m) => m.dataId));
      return { messages: [...action.messages.filter((m) => !known.has(m.dataId)), ...state.messages] };
    }
    case "send":
      return { messages: [...state.messages, action.human, action.answer] };
    case "resume":
      return resume(state, action.answer);
    case "sse":
      return update(state, action.dataId, (m) => applySseEvent(m, action.event));
    case "end":
      return update(state, action.dataId, (m) => ({ ...m, status: "finish", runningNode: undefined }));
    case "stopped":
      return update(state, action.dataId, (m) => ({ ...m, status: "finish", runningNode: undefined, stopped: true }));
    case "failed":
      return update(state, action.dataId, (m) => ({
        ...m,
        status: "finish",
        runningNode: undefined,
        error: action.message,
      }));
    case "vote":
      return update(state, action.dataId, (m) => ({ ...m, vote: action.vote }));
    case "responses":
      return update(state, action.dataId, (m) => ({
        ...m,
        responses: action.responses,
        quotes: m.quotes.length ? m.quotes : quotesOf(action.responses),
      }));
  }
}

function update(state: ChatState, dataId: string, change: (m: ChatMessage) => ChatMessage): ChatState {
  let changed = false;
  const messages = state.messages.map((m) => {
    if (m.dataId !== dataId) return m;
    changed = true;
    return change(m);
  });
  return changed ? { messages } : state;
}

/** Answering the pending interaction continues the last AI message (FastGPT stores the rest in the same item). */
function resume(state: ChatState, answer: string): ChatState {
  const last = state.messages[state.messages.length - 1];
  if (!last || last.role !== "AI") return state;
  const value = last.value.map((part, index) =>
    index === last.value.length - 1 && part.type === "interactive"
      ? { type: "interactive" as const, interactive: answered(part.interactive, answer) }
      : part,
  );
  const resumed: ChatMessage = { ...last, value, status: "loading", error: undefined, stopped: false };
  return { messages: [...state.messages.slice(0, -1), resumed] };
}

export function answered(interactive: Interactive, answer: string): Interactive {
  if (interactive.type === "userSelect") {
    return { ...interactive, params: { ...interactive.params, userSelectedVal: answer } };
  }
  let given: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(answer);
    if (parsed && typeof parsed === "object") given = parsed as Record<string, unknown>;
  } catch {
    given = {};
  }
  const inputForm = (interactive.params.inputForm ?? []).map((field) =>
    field.key in given ? { ...field, value: given[field.key] } : field,
  );
  return { ...interactive, params: { ...interactive.params, inputForm, submitted: true } };
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function appendText(value: ValuePart[], type: "text" | "reasoning", text: string): ValuePart[] {
  if (!text) return value;
  const last = value[value.length - 1];
  if (last && last.type === type) return [...value.slice(0, -1), { type, text: last.text + text }];
  return [...value, { type, text }];
}

function toolOf(data: unknown): ToolRun {
  const tool = ((data as { tool?: Record<string, unknown> } | undefined)?.tool ?? {}) as Record<string, unknown>;
  return {
    id: String(tool.id ?? ""),
    toolName: String(tool.toolName || tool.functionName || ""),
    params: String(tool.params ?? ""),
    response: String(tool.response ?? ""),
  };
}

function changeTool(value: ValuePart[], id: string, change: (tool: ToolRun) => ToolRun): ValuePart[] {
  return value.map((part) =>
    part.type === "tool" && part.tools.some((t) => t.id === id)
      ? { type: "tool", tools: part.tools.map((t) => (t.id === id ? change(t) : t)) }
      : part,
  );
}

function errorMessage(data: unknown, raw: string): string {
  if (data && typeof data === "object") {
    const body = data as { message?: unknown; error?: { message?: unknown } };
    const message = body.message || body.error?.message;
    if (message) return String(message);
  }
  return raw || "The chat failed";
}

/** One SSE event applied to the answer it belongs to. */
export function applySseEvent(message: ChatMessage, event: SseEvent): ChatMessage {
  const data = parse(event.data);
  switch (event.event) {
    case "answer":
    case "fastAnswer":
    case "message": {
      if (event.data === "[DONE]") return message;
      const delta = (data as { choices?: Array<{ delta?: { content?: unknown; reasoning_content?: unknown } }> })
        ?.choices?.[0]?.delta;
      if (!delta) return message;
      let value = appendText(message.value, "reasoning", String(delta.reasoning_content ?? ""));
      value = appendText(value, "text", String(delta.content ?? ""));
      return value === message.value ? message : { ...message, value, status: "running" };
    }
    case "flowNodeStatus": {
      const name = (data as { name?: unknown } | undefined)?.name;
      return { ...message, status: "running", runningNode: name ? String(name) : message.runningNode };
    }
    case "flowResponses": {
      const responses = Array.isArray(data) ? (data as NodeResponse[]) : [];
      return { ...message, responses, quotes: quotesOf(responses) };
    }
    case "flowNodeResponse": {
      if (!data || typeof data !== "object") return message;
      const responses = [...(message.responses ?? []), data as NodeResponse];
      return { ...message, responses, quotes: quotesOf(responses) };
    }
    case "interactive": {
      const interactive = publicInteractive((data as { interactive?: unknown } | undefined)?.interactive);
      if (!interactive) return message;
      return { ...message, status: "running", value: [...message.value, { type: "interactive", interactive }] };
    }
    case "toolCall": {
      const tool = toolOf(data);
      const last = message.value[message.value.length - 1];
      const value: ValuePart[] =
        last && last.type === "tool"
          ? [...message.value.slice(0, -1), { type: "tool", tools: [...last.tools, tool] }]
          : [...message.value, { type: "tool", tools: [tool] }];
      return { ...message, status: "running", value };
    }
    case "toolParams": {
      const delta = toolOf(data);
      return { ...message, value: changeTool(message.value, delta.id, (t) => ({ ...t, params: t.params + delta.params })) };
    }
    case "toolResponse": {
      const delta = toolOf(data);
      return { ...message, value: changeTool(message.value, delta.id, (t) => ({ ...t, response: delta.response })) };
    }
    case "workflowDuration": {
      const seconds = (data as { durationSeconds?: unknown } | undefined)?.durationSeconds;
      return typeof seconds === "number" ? { ...message, durationSeconds: seconds } : message;
    }
    case "error":
      return { ...message, error: errorMessage(data, event.data) };
    default:
      return message;
  }
}

// Stored chat items (`getPaginationRecords`) → the message model. Reads FastGPT's typed parts
// (`{type: "text", text: {content}}`, 4.11) and the untyped older ones (`{text: {content}}`).
import {
  toQuote,
  type AttachedFile,
  type ChatMessage,
  type Interactive,
  type Quote,
  type ToolRun,
  type ValuePart,
} from "./messageModel";

export interface StoredRecord {
  _id?: string;
  dataId: string;
  obj: "Human" | "AI" | "System" | string;
  value: unknown[];
  hideInUI?: boolean;
  userGoodFeedback?: string;
  userBadFeedback?: string;
  errorMsg?: string;
  durationSeconds?: number;
  totalQuoteList?: unknown[];
  responseData?: unknown[];
}

const WRAPPERS = new Set(["childrenInteractive", "loopInteractive", "toolChildrenInteractive"]);
const INTERNAL = new Set(["entryNodeIds", "memoryEdges", "nodeOutputs", "skipNodeQueue", "usageId"]);

/** The interaction a user answers: the deepest one of wrapper types, without the engine's state. */
export function publicInteractive(raw: unknown): Interactive | null {
  let current = raw as Record<string, unknown> | null;
  for (let depth = 0; current && WRAPPERS.has(String(current.type)) && depth < 20; depth++) {
    current = ((current.params as Record<string, unknown> | undefined)?.childrenResponse ?? null) as Record<
      string,
      unknown
    > | null;
  }
  if (!current || typeof current !== "object" || typeof current.type !== "string") return null;
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) if (!INTERNAL.has(key)) cleaned[key] = value;
  return { type: String(cleaned.type), params: (cleaned.params as Interactive["params"]) ?? {} };
}

function contentOf(holder: unknown): string {
  if (typeof holder === "string") return holder;
  if (holder && typeof holder === "object") return String((holder as { content?: unknown }).content ?? "");
  return "";
}

function toolRun(raw: unknown): ToolRun {
  const tool = (raw ?? {}) as Record<string, unknown>;
  return {
    id: String(tool.id ?? ""),
    toolName: String(tool.toolName || tool.functionName || "tool"),
    params: String(tool.params ?? ""),
    response: String(tool.response ?? ""),
  };
}

export function partOf(raw: unknown): ValuePart | null {
  if (!raw || typeof raw !== "object") return null;
  const part = raw as Record<string, unknown>;
  const type = part.type;
  if ((type === "text" || (!type && part.text)) && part.text !== undefined) return { type: "text", text: contentOf(part.text) };
  if (type === "reasoning" || (!type && part.reasoning)) return { type: "reasoning", text: contentOf(part.reasoning) };
  if ((type === "tool" || (!type && part.tools)) && Array.isArray(part.tools)) {
    return { type: "tool", tools: part.tools.map(toolRun) };
  }
  if (type === "interactive" || (!type && part.interactive)) {
    const interactive = publicInteractive(part.interactive);
    return interactive ? { type: "interactive", interactive } : null;
  }
  if ((type === "file" || (!type && part.file)) && part.file && typeof part.file === "object") {
    const file = part.file as Record<string, unknown>;
    const attached: AttachedFile = {
      type: file.type === "image" ? "image" : "file",
      name: String(file.name ?? ""),
      url: String(file.url ?? ""),
    };
    return { type: "file", file: attached };
  }
  return null;
}

export function recordToMessage(record: StoredRecord): ChatMessage {
  const value = (record.value ?? []).map(partOf).filter((part): part is ValuePart => part !== null);
  const quotes = (record.totalQuoteList ?? []).map(toQuote).filter((quote): quote is Quote => quote !== null);
  return {
    dataId: record.dataId,
    role: record.obj === "Human" ? "Human" : "AI",
    value,
    status: "finish",
    quotes,
    error: record.errorMsg || undefined,
    vote: record.userGoodFeedback ? "good" : record.userBadFeedback ? "bad" : null,
    durationSeconds: record.durationSeconds,
    responses: Array.isArray(record.responseData) ? (record.responseData as ChatMessage["responses"]) : undefined,
  };
}

/** The visible messages of a page of records (System items and `hideInUI` ones are not shown). */
export function recordsToMessages(records: StoredRecord[]): ChatMessage[] {
  return records.filter((r) => !r.hideInUI && (r.obj === "Human" || r.obj === "AI")).map(recordToMessage);
}

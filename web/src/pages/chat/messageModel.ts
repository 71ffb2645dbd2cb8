// The chat message model both chat screens render: FastGPT's stored chat items (`obj` + `value` parts),
// plus what only a live stream knows (the running node, the node responses, an error).

export type Role = "Human" | "AI";

export interface ToolRun {
  id: string;
  toolName: string;
  params: string;
  response: string;
}

export interface SelectOption {
  key: string;
  value: string;
}

export interface FormField {
  type: string;
  key: string;
  label: string;
  description?: string;
  required?: boolean;
  defaultValue?: unknown;
  value?: unknown;
  valueType?: string;
  list?: Array<{ label: string; value: string }>;
}

/** The public part of an interactive node's pause (`event: interactive`). */
export interface Interactive {
  type: "userSelect" | "userInput" | string;
  params: {
    description?: string;
    userSelectOptions?: SelectOption[];
    userSelectedVal?: string;
    inputForm?: FormField[];
    submitted?: boolean;
    [field: string]: unknown;
  };
}

export interface AttachedFile {
  type: "image" | "file";
  name: string;
  url: string;
}

export type ValuePart =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "tool"; tools: ToolRun[] }
  | { type: "interactive"; interactive: Interactive }
  | { type: "file"; file: AttachedFile };

export interface Quote {
  id: string;
  q: string;
  a: string;
  sourceName: string;
  score?: number;
  collectionId?: string;
  datasetId?: string;
}

export type NodeResponse = Record<string, unknown> & { moduleName?: string; moduleType?: string };

export type Vote = "good" | "bad" | null;

export interface ChatMessage {
  dataId: string;
  role: Role;
  value: ValuePart[];
  /** loading: sent, nothing back yet; running: streaming; finish: done (or loaded from history). */
  status: "loading" | "running" | "finish";
  runningNode?: string;
  /** Node responses of the round (a live v1 stream's `flowResponses`, or `getResData` on demand). */
  responses?: NodeResponse[];
  quotes: Quote[];
  error?: string;
  vote: Vote;
  durationSeconds?: number;
  stopped?: boolean;
}

export function humanMessage(dataId: string, text: string, files: AttachedFile[] = []): ChatMessage {
  const value: ValuePart[] = files.map((file) => ({ type: "file", file }));
  if (text) value.unshift({ type: "text", text });
  return { dataId, role: "Human", value, status: "finish", quotes: [], vote: null };
}

export function pendingAnswer(dataId: string): ChatMessage {
  return { dataId, role: "AI", value: [], status: "loading", quotes: [], vote: null };
}

/** All text parts of a message, joined (what a copy or a test reads). */
export function messageText(message: ChatMessage): string {
  return message.value
    .filter((part): part is { type: "text"; text: string } => part.type === "text")
    .map((part) => part.text)
    .join("");
}

/** The interaction still waiting for the user: the last part of the last message, if unanswered (as the server). */
export function pendingInteractive(messages: ChatMessage[]): Interactive | null {
  const last = messages[messages.length - 1];
  if (!last || last.role !== "AI" || last.status !== "finish") return null;
  const part = last.value[last.value.length - 1];
  if (!part || part.type !== "interactive") return null;
  return isAnswered(part.interactive) ? null : part.interactive;
}

export function isAnswered(interactive: Interactive): boolean {
  const params = interactive.params ?? {};
  if (interactive.type === "userSelect") return typeof params.userSelectedVal === "string";
  return params.submitted === true;
}

/** The quote lists of every dataset-search node among the responses (children included), first seen first. */
export function quotesOf(responses: NodeResponse[]): Quote[] {
  const found: Quote[] = [];
  const seen = new Set<string>();
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const response of list as NodeResponse[]) {
      if (!response || typeof response !== "object") continue;
      if (Array.isArray(response.quoteList)) {
        for (const raw of response.quoteList as unknown[]) {
          const quote = toQuote(raw);
          if (quote && !seen.has(quote.id)) {
            seen.add(quote.id);
            found.push(quote);
          }
        }
      }
      for (const key of ["pluginDetail", "toolDetail", "loopDetail"]) walk(response[key]);
    }
  };
  walk(responses);
  return found;
}

/** One quote as the server sends it: `score` is a number (old) or a list of `{type, value}` (4.8+). */
export function toQuote(raw: unknown): Quote | null {
  if (!raw || typeof raw !== "object") return null;
  const item = raw as Record<string, unknown>;
  const id = String(item.id ?? item._id ?? "");
  if (!id) return null;
  return {
    id,
    q: String(item.q ?? ""),
    a: String(item.a ?? ""),
    sourceName: String(item.sourceName ?? item.source ?? ""),
    score: scoreOf(item.score),
    collectionId: typeof item.collectionId === "string" ? item.collectionId : undefined,
    datasetId: typeof item.datasetId === "string" ? item.datasetId : undefined,
  };
}

function scoreOf(score: unknown): number | undefined {
  if (typeof score === "number") return score;
  if (Array.isArray(score)) {
    const first = score.find((s) => s && typeof s === "object" && typeof (s as { value?: unknown }).value === "number");
    return first ? (first as { value: number }).value : undefined;
  }
  return undefined;
}

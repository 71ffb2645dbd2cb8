// A stored message's `value` (FastGPT's list of typed entries) and a node response, as plain text
// the read-only chat drawer can show without interpreting any markup.

export type PartKind = "text" | "reasoning" | "file" | "tool" | "interactive";

export interface MessagePart {
  kind: PartKind;
  text: string;
}

type Entry = Record<string, unknown>;

function asRecord(value: unknown): Entry | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Entry) : undefined;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function toolText(tool: Entry): string {
  const name = asText(tool.toolName) || asText(tool.functionName) || "tool";
  const params = asText(tool.params);
  const response = asText(tool.response);
  return [`${name}(${params})`, response ? `→ ${response}` : ""].filter(Boolean).join(" ");
}

function partOf(entry: Entry): MessagePart[] {
  const type = asText(entry.type);
  if (type === "text") return [{ kind: "text", text: asText(asRecord(entry.text)?.content) }];
  if (type === "reasoning") return [{ kind: "reasoning", text: asText(asRecord(entry.reasoning)?.content) }];
  if (type === "file" || type === "image_url") {
    const file = asRecord(entry.file) ?? {};
    return [{ kind: "file", text: asText(file.name) || asText(file.url) || "file" }];
  }
  if (type === "tool") {
    const tools = Array.isArray(entry.tools) ? entry.tools : [];
    return tools.map((tool) => ({ kind: "tool" as const, text: toolText(asRecord(tool) ?? {}) }));
  }
  if (type === "interactive") {
    const interactive = asRecord(entry.interactive) ?? {};
    const params = asRecord(interactive.params) ?? {};
    const prompt = asText(params.description) || asText(params.userSelectOptions) || asText(interactive.type);
    return [{ kind: "interactive", text: prompt }];
  }
  return [];
}

/** The readable parts of a message, empty ones dropped. */
export function messageParts(value: unknown): MessagePart[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => partOf(asRecord(entry) ?? {})).filter((part) => part.text.trim() !== "");
}

export interface NodeRow {
  key: string;
  name: string;
  type: string;
  seconds: number | undefined;
  points: number | undefined;
  model: string;
  tokens: string;
  error: string;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** getResData's node responses as table rows (name, type, running time, points, model, tokens). */
export function nodeRows(responses: Record<string, unknown>[]): NodeRow[] {
  return responses.map((response, index) => {
    const input = numberOrUndefined(response.inputTokens);
    const output = numberOrUndefined(response.outputTokens);
    const tokens = numberOrUndefined(response.tokens);
    const tokenText =
      input !== undefined || output !== undefined
        ? `${input ?? 0} in / ${output ?? 0} out`
        : tokens !== undefined
          ? String(tokens)
          : "";
    return {
      key: asText(response.id) || `${asText(response.nodeId)}-${index}`,
      name: asText(response.moduleName) || asText(response.nodeId) || `Node ${index + 1}`,
      type: asText(response.moduleType),
      seconds: numberOrUndefined(response.runningTime),
      points: numberOrUndefined(response.totalPoints),
      model: asText(response.model),
      tokens: tokenText,
      error: asText(response.errorText) || asText(response.error),
    };
  });
}

import type { AppDetail, AppExport } from "../../api/types";

/** FastGPT's export: the app's graph and chat config, as its "copy config" button writes it. */
export function exportOf(app: AppDetail): AppExport {
  return { nodes: app.modules ?? [], edges: app.edges ?? [], chatConfig: app.chatConfig ?? {} };
}

/** Read a FastGPT export (4.8+ `nodes`, or legacy `modules`); throws a readable error otherwise. */
export function parseExport(text: string): AppExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error("Not JSON: paste the text of a FastGPT app export");
  }
  const record = (value ?? {}) as Record<string, unknown>;
  const nodes = (record.nodes ?? record.modules) as unknown;
  if (!Array.isArray(nodes)) throw new Error("The export has no `nodes` list");
  const edges = Array.isArray(record.edges) ? record.edges : [];
  const chatConfig = (record.chatConfig ?? {}) as Record<string, unknown>;
  return { nodes: nodes as AppExport["nodes"], edges: edges as AppExport["edges"], chatConfig };
}

export function downloadJson(filename: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

// Real FastGPT exports (tests/workflow/apps/fastgpt/*.json) for the graph model's tests.
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { FlowEdge, FlowNode } from "./types";

// __dirname: vitest provides it (jsdom gives import.meta.url an http scheme).
const CORPUS = `${resolve(__dirname, "../../../tests/workflow/apps/fastgpt")}/`;

export interface StoredGraph {
  nodes?: FlowNode[];
  modules?: FlowNode[];
  edges?: FlowEdge[];
  chatConfig?: Record<string, unknown>;
}

export function exportNames(): string[] {
  return readdirSync(CORPUS)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -5))
    .sort();
}

/** The graph of one export, freshly parsed (a template's sits under `workflow`). */
export function loadGraph(name: string): StoredGraph {
  const data = JSON.parse(readFileSync(`${CORPUS}${name}.json`, "utf-8")) as Record<string, unknown>;
  const workflow = data.workflow;
  return (workflow && typeof workflow === "object" ? workflow : data) as StoredGraph;
}

/** Paths where two JSON values differ ("nodes.3.position.x"); key order counts as a difference too. */
export function diffPaths(a: unknown, b: unknown, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keysA = Object.keys(a as object).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
    const keysB = Object.keys(b as object).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
    const shared = keysA.filter((key) => keysB.includes(key));
    const order = JSON.stringify(shared) === JSON.stringify(keysB.filter((key) => keysA.includes(key)));
    const out: string[] = order ? [] : [`${path}(key order)`];
    for (const key of new Set([...keysA, ...keysB])) {
      out.push(...diffPaths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
    }
    return out;
  }
  return [path];
}

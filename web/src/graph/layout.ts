// Where to draw nodes stored without a position (hand-written or generated graphs): columns by depth
// along the edges (longest path from the nodes nothing points to), rows in document order.
import { moveNodes } from "./document";
import type { GraphDoc, Position } from "./types";

export const COLUMN_WIDTH = 460;
export const ROW_HEIGHT = 320;

export function layeredPositions(doc: GraphDoc): Map<string, Position> {
  const ids = doc.nodes.map((node) => node.nodeId);
  const known = new Set(ids);
  const incoming = new Map<string, number>(ids.map((id) => [id, 0]));
  const outgoing = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of doc.edges) {
    if (!known.has(edge.source) || !known.has(edge.target) || edge.source === edge.target) continue;
    outgoing.get(edge.source)?.push(edge.target);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  const depth = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => incoming.get(id) === 0);
  // Kahn's order; nodes left in a cycle keep the depth reached so far.
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head];
    for (const next of outgoing.get(id) ?? []) {
      depth.set(next, Math.max(depth.get(next) ?? 0, (depth.get(id) ?? 0) + 1));
      const left = (incoming.get(next) ?? 0) - 1;
      incoming.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  const rows = new Map<number, number>();
  const positions = new Map<string, Position>();
  for (const id of ids) {
    const column = depth.get(id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(id, { x: column * COLUMN_WIDTH, y: row * ROW_HEIGHT });
  }
  return positions;
}

/**
 * A graph whose nodes have no place of their own (none stored, or all stored on one spot, as hand-written
 * or generated graphs have) laid out by `layeredPositions`, as an edit; any other graph unchanged.
 */
export function placeUnplaced(doc: GraphDoc): GraphDoc {
  if (doc.nodes.length < 2) return doc;
  const first = doc.nodes[0].position;
  const unplaced = doc.nodes.some((node) => !node.position) ||
    doc.nodes.every((node) => node.position?.x === first?.x && node.position?.y === first?.y);
  return unplaced ? moveNodes(doc, layeredPositions(doc)) : doc;
}

// Training progress of collections and when to keep polling for it (pure; the page schedules).
import type { CollectionItem, TrainingQueue } from "./types";

/** FastGPT's CollectionTrainingStatusEnum. */
export type TrainingStatus = "running" | "error" | "ready";

type Counts = Pick<CollectionItem, "dataAmount" | "trainingAmount" | "hasError">;

export function collectionStatus(item: Counts): TrainingStatus {
  if (item.hasError) return "error";
  return item.trainingAmount > 0 ? "running" : "ready";
}

export interface Progress {
  done: number;
  total: number;
  /** 0–100, whole numbers. */
  percent: number;
}

/** Chunks stored vs. stored + still queued. A collection with nothing queued is complete (100 %). */
export function trainingProgress(item: Counts): Progress {
  const done = Math.max(0, item.dataAmount);
  const total = done + Math.max(0, item.trainingAmount);
  return { done, total, percent: total === 0 ? 100 : Math.floor((done / total) * 100) };
}

export function statusText(item: Counts): string {
  const status = collectionStatus(item);
  const { done, total } = trainingProgress(item);
  if (status === "ready") return "Ready";
  const queued = `${item.trainingAmount} queued`;
  return status === "error" ? `Error · ${queued}` : `Training ${done} / ${total} · ${queued}`;
}

export interface TrainingSnapshot {
  /** Jobs still in the queue (the dataset's count, or the listed collections' when larger). */
  pending: number;
  /** Some listed collection has failed jobs. */
  failing: boolean;
  /** Changes whenever any count changes. */
  signature: string;
}

export function snapshotOf(collections: CollectionItem[], queue?: TrainingQueue | null): TrainingSnapshot {
  const listed = collections.reduce((sum, item) => sum + Math.max(0, item.trainingAmount), 0);
  const queued = queue ? queue.trainingCount + queue.rebuildingCount : 0;
  const counts = collections.map((item) => `${item._id}:${item.dataAmount}:${item.trainingAmount}:${item.hasError ? 1 : 0}`);
  return {
    pending: Math.max(listed, queued),
    failing: collections.some((item) => item.hasError),
    signature: `${queued}|${counts.join(",")}`,
  };
}

export const POLL = {
  /** First and fastest delay while counts move. */
  minMs: 1000,
  /** Slowest delay while nothing changes. */
  maxMs: 8000,
  /** Unchanged rounds after which failing jobs are taken as stuck and polling stops. */
  stuckRounds: 8,
};

export interface PollState {
  delayMs: number;
  unchangedRounds: number;
  done: boolean;
}

export const INITIAL_POLL: PollState = { delayMs: POLL.minMs, unchangedRounds: 0, done: false };

/**
 * The next polling step after a fresh snapshot: stop when nothing is queued; back off (×2 up to
 * `maxMs`) while counts stand still and reset when they move; stop when only failing jobs are left
 * and nothing moved for `stuckRounds` (the failed jobs keep their queue rows until retried or deleted).
 */
export function advancePoll(state: PollState, previous: TrainingSnapshot | undefined, next: TrainingSnapshot): PollState {
  if (next.pending === 0) return { delayMs: POLL.minMs, unchangedRounds: 0, done: true };
  if (previous === undefined || previous.signature !== next.signature) {
    return { delayMs: POLL.minMs, unchangedRounds: 0, done: false };
  }
  const unchangedRounds = state.unchangedRounds + 1;
  return {
    delayMs: Math.min(POLL.maxMs, state.delayMs * 2),
    unchangedRounds,
    done: next.failing && unchangedRounds >= POLL.stuckRounds,
  };
}

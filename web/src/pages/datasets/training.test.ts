import { describe, expect, it } from "vitest";
import {
  advancePoll,
  collectionStatus,
  INITIAL_POLL,
  POLL,
  snapshotOf,
  statusText,
  trainingProgress,
  type PollState,
  type TrainingSnapshot,
} from "./training";
import type { CollectionItem } from "./types";

function collection(id: string, dataAmount: number, trainingAmount: number, hasError = false): CollectionItem {
  return { _id: id, datasetId: "d", type: "file", name: id, dataAmount, trainingAmount, hasError };
}

describe("collection status and progress", () => {
  it("is running while jobs are queued, ready when none are, error when any failed", () => {
    expect(collectionStatus(collection("a", 2, 3))).toBe("running");
    expect(collectionStatus(collection("a", 5, 0))).toBe("ready");
    expect(collectionStatus(collection("a", 2, 1, true))).toBe("error");
  });

  it("counts stored chunks against stored plus queued ones", () => {
    expect(trainingProgress(collection("a", 1, 3))).toEqual({ done: 1, total: 4, percent: 25 });
    expect(trainingProgress(collection("a", 2, 1))).toEqual({ done: 2, total: 3, percent: 66 });
    expect(trainingProgress(collection("a", 0, 0))).toEqual({ done: 0, total: 0, percent: 100 });
  });

  it("describes each status in words", () => {
    expect(statusText(collection("a", 1, 3))).toBe("Training 1 / 4 · 3 queued");
    expect(statusText(collection("a", 4, 0))).toBe("Ready");
    expect(statusText(collection("a", 0, 2, true))).toBe("Error · 2 queued");
  });
});

describe("snapshotOf", () => {
  it("takes the larger of the listed and the dataset-wide queue", () => {
    const listed = [collection("a", 0, 3), collection("b", 1, 2)];
    expect(snapshotOf(listed).pending).toBe(5);
    expect(snapshotOf(listed, { trainingCount: 9, rebuildingCount: 1 }).pending).toBe(10);
    expect(snapshotOf([], { trainingCount: 0, rebuildingCount: 0 }).pending).toBe(0);
  });

  it("changes its signature when any count changes and flags failures", () => {
    const before = snapshotOf([collection("a", 1, 3)]);
    const after = snapshotOf([collection("a", 2, 2)]);
    expect(before.signature).not.toBe(after.signature);
    expect(snapshotOf([collection("a", 1, 3)]).signature).toBe(before.signature);
    expect(snapshotOf([collection("a", 1, 3, true)]).failing).toBe(true);
  });
});

describe("advancePoll", () => {
  const busy = (signature: string, failing = false): TrainingSnapshot => ({ pending: 3, failing, signature });

  it("stops as soon as nothing is queued", () => {
    expect(advancePoll(INITIAL_POLL, busy("x"), { pending: 0, failing: false, signature: "y" }).done).toBe(true);
  });

  it("stays fast while counts move and backs off while they stand still", () => {
    let state = advancePoll(INITIAL_POLL, undefined, busy("a"));
    expect(state).toEqual({ delayMs: POLL.minMs, unchangedRounds: 0, done: false });
    state = advancePoll(state, busy("a"), busy("a"));
    expect(state.delayMs).toBe(POLL.minMs * 2);
    for (let i = 0; i < 10; i++) state = advancePoll(state, busy("a"), busy("a"));
    expect(state.delayMs).toBe(POLL.maxMs);
    expect(state.done).toBe(false);
    state = advancePoll(state, busy("a"), busy("b"));
    expect(state).toEqual({ delayMs: POLL.minMs, unchangedRounds: 0, done: false });
  });

  it("gives up on jobs that keep failing without any change", () => {
    let state: PollState = INITIAL_POLL;
    const failing = busy("f", true);
    for (let round = 1; round < POLL.stuckRounds; round++) {
      state = advancePoll(state, failing, failing);
      expect(state.done).toBe(false);
    }
    state = advancePoll(state, failing, failing);
    expect(state.done).toBe(true);
  });
});

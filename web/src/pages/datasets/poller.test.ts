import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startPoller } from "./poller";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("startPoller", () => {
  it("runs at once, then after each delay the step returns, and stops on null", async () => {
    const delays = [100, 200, null];
    const step = vi.fn(async () => delays.shift() ?? null);
    const poller = startPoller(step);
    await vi.advanceTimersByTimeAsync(0);
    expect(step).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(step).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(step).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(step).toHaveBeenCalledTimes(3);
    expect(poller.active).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(step).toHaveBeenCalledTimes(3);
  });

  it("restarts a stopped loop when kicked and cancels a pending step", async () => {
    const step = vi.fn(async () => null as number | null);
    const poller = startPoller(step);
    await vi.advanceTimersByTimeAsync(0);
    poller.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(step).toHaveBeenCalledTimes(2);

    step.mockImplementation(async () => 1000);
    poller.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(step).toHaveBeenCalledTimes(3);
    poller.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(step).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(step).toHaveBeenCalledTimes(5);
    poller.stop();
  });

  it("never overlaps steps: a kick during a step runs one more right after it", async () => {
    let release: (value: number | null) => void = () => undefined;
    let concurrent = 0;
    let maxConcurrent = 0;
    const step = vi.fn(
      () =>
        new Promise<number | null>((resolve) => {
          concurrent += 1;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          release = (value) => {
            concurrent -= 1;
            resolve(value);
          };
        }),
    );
    const poller = startPoller(step);
    poller.kick();
    poller.kick();
    expect(step).toHaveBeenCalledTimes(1);
    release(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(step).toHaveBeenCalledTimes(2);
    release(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(step).toHaveBeenCalledTimes(2);
    expect(maxConcurrent).toBe(1);
    poller.stop();
  });

  it("retries a failing step after the error delay and ignores kicks once stopped", async () => {
    const step = vi.fn(async (): Promise<number | null> => {
      throw new Error("offline");
    });
    const poller = startPoller(step, { errorDelayMs: 500 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(step).toHaveBeenCalledTimes(2);
    poller.stop();
    poller.kick();
    await vi.advanceTimersByTimeAsync(5000);
    expect(step).toHaveBeenCalledTimes(2);
    expect(poller.active).toBe(false);
  });
});

// A self-scheduling poll loop: one step at a time, never overlapping, restartable with kick().

/** One polling step: the delay before the next step, or null to stop until kicked. */
export type PollStep = () => Promise<number | null>;

export interface Poller {
  /** Run a step now (cancelling a pending one), or right after the running one; restarts a stopped loop. */
  kick(): void;
  /** Stop for good: no further steps, even when kicked. */
  stop(): void;
  /** Whether a step is scheduled or running. */
  readonly active: boolean;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A step that throws is retried after `errorDelayMs`. The first step runs at once. */
export function startPoller(step: PollStep, options: { errorDelayMs?: number; timers?: Timers } = {}): Poller {
  const timers = options.timers ?? browserTimers;
  const errorDelayMs = options.errorDelayMs ?? 5000;
  let timer: unknown = null;
  let running = false;
  let again = false;
  let stopped = false;

  function schedule(delay: number | null) {
    if (stopped || delay === null) return;
    timer = timers.setTimeout(() => {
      timer = null;
      void run();
    }, delay);
  }

  async function run() {
    if (stopped) return;
    running = true;
    let delay: number | null;
    try {
      delay = await step();
    } catch {
      delay = errorDelayMs;
    }
    running = false;
    if (again) {
      again = false;
      void run();
      return;
    }
    schedule(delay);
  }

  const poller: Poller = {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      if (timer !== null) {
        timers.clearTimeout(timer);
        timer = null;
      }
      void run();
    },
    stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
    get active() {
      return !stopped && (running || timer !== null);
    },
  };
  void run();
  return poller;
}

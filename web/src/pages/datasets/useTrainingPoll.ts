import { useCallback, useEffect, useRef, useState } from "react";
import { startPoller, type Poller } from "./poller";
import { advancePoll, INITIAL_POLL, type PollState, type TrainingSnapshot } from "./training";

/**
 * Refresh now and keep refreshing while training runs (see `advancePoll`). `refresh` loads the counts
 * and returns their snapshot; a new `refresh` (other page, other search) restarts the loop.
 * `kick()` refreshes at once and resumes polling (after an import, a retry, a delete).
 */
export function useTrainingPoll(refresh: () => Promise<TrainingSnapshot>, onError: (error: unknown) => void) {
  const [polling, setPolling] = useState(false);
  const poller = useRef<Poller | null>(null);
  const state = useRef<PollState>(INITIAL_POLL);
  const previous = useRef<TrainingSnapshot | undefined>(undefined);
  const reportError = useRef(onError);
  reportError.current = onError;

  useEffect(() => {
    state.current = INITIAL_POLL;
    previous.current = undefined;
    const loop = startPoller(async () => {
      try {
        const snapshot = await refresh();
        state.current = advancePoll(state.current, previous.current, snapshot);
        previous.current = snapshot;
        setPolling(!state.current.done);
        return state.current.done ? null : state.current.delayMs;
      } catch (error) {
        reportError.current(error);
        throw error;
      }
    });
    poller.current = loop;
    return () => loop.stop();
  }, [refresh]);

  const kick = useCallback(() => {
    state.current = INITIAL_POLL;
    previous.current = undefined;
    poller.current?.kick();
  }, []);

  return { polling, kick };
}

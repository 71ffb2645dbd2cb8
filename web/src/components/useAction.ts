import { useCallback, useState } from "react";

/**
 * Run a user action (create, delete, publish…), keeping its error for display: `run(fn)` clears the last
 * error, awaits `fn`, and stores what it throws. `confirmFirst` asks before running when given.
 */
export function useAction() {
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<unknown>, confirmFirst?: string) => {
    if (confirmFirst && !window.confirm(confirmFirst)) return;
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  }, []);
  return { error, run };
}

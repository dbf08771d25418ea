export interface PollingLoop {
  /** Stops polling and waits for a round in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `round` every `intervalMs`, counted from the end of the previous round, so rounds never overlap and a
 * slow round delays the next one instead of piling up. An error is reported and the loop goes on.
 */
export function startPollingLoop(
  round: () => Promise<unknown>,
  intervalMs: number,
  onError: (error: unknown) => void,
): PollingLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const next = () => {
    timer = setTimeout(() => {
      current = round()
        .then(
          () => {},
          (error: unknown) => onError(error),
        )
        .finally(() => {
          if (!stopped) next();
        });
    }, intervalMs);
  };
  next();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

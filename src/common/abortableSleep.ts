/** Resolves after `ms`, or at once when `signal` aborts (never rejects: the caller looks at the signal). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // Timers count whole milliseconds: rounding down would wake just before the time asked for.
    const timer = setTimeout(done, Math.ceil(ms));
    signal?.addEventListener('abort', done);
  });
}

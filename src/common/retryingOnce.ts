/**
 * Runs `work` at the first call and hands every later caller the same promise; a failure is not kept, so
 * the next call tries again. `forget()` makes the next call run it afresh.
 */
export function retryingOnce<T>(work: () => Promise<T>): { readonly run: () => Promise<T>; readonly forget: () => void } {
  let current: Promise<T> | undefined;
  return {
    run: () => {
      if (!current) {
        const running = work();
        current = running;
        running.catch(() => {
          if (current === running) current = undefined;
        });
      }
      return current;
    },
    forget: () => {
      current = undefined;
    },
  };
}

import { performance } from 'node:perf_hooks';

/**
 * Starts a setImmediate ticker that notes the longest wait between two of its turns: how long the event loop was
 * held at once, by whatever held it. `stop()` ends it and returns that wait, in ms.
 */
export function watchLongestTurn(): { stop(): number } {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return longest;
    },
  };
}

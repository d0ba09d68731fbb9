/**
 * Long work gives the host back its turn this often (the extension host shares one thread with every
 * extension). A quarter of the 20 ms a slice may last: a garbage collection of the young generation (10 to
 * 15 ms measured while a large bot's model is built) can fall inside any slice.
 */
export const SLICE_MS = 5;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `work` on each item, giving the event loop its turn whenever a slice has run `sliceMs`. Returns the
 * longest slice, for the benchmark. A single item that takes longer than a slice is not cut.
 */
export async function inSlices<T>(items: Iterable<T>, work: (item: T) => void | Promise<void>, sliceMs = SLICE_MS): Promise<number> {
  let sliceStart = performance.now();
  let longest = 0;
  for (const item of items) {
    await work(item);
    const elapsed = performance.now() - sliceStart;
    if (elapsed >= sliceMs) {
      longest = Math.max(longest, elapsed);
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return Math.max(longest, performance.now() - sliceStart);
}

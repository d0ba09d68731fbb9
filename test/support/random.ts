/**
 * A small deterministic generator (mulberry32): a fuzz failure can be replayed from its seed.
 * Returns a float in [0, limit).
 */
export function createRandom(seed: number): (limit: number) => number {
  let state = seed >>> 0;
  return (limit: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * limit;
  };
}

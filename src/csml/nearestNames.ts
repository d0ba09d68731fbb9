import { asciiLower } from './names';

/** Names longer than this are not compared: a typo is in a name a person types. */
const LONGEST = 64;

/**
 * The candidates closest to `name`, as a typo would be corrected: at most `limit`, closest first, each within a
 * third of the name's length in edits (at least 1; a swap of two neighbours counts as one). A name that differs
 * only in ASCII case comes first.
 */
export function nearestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  if (name.length > LONGEST) return [];
  const allowed = Math.max(1, Math.floor(name.length / 3));
  const lower = asciiLower(name);
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === name || candidate.length > LONGEST || Math.abs(candidate.length - name.length) > allowed) continue;
    const distance = asciiLower(candidate) === lower ? 0 : editDistance(lower, asciiLower(candidate));
    if (distance <= allowed) scored.push({ candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map((entry) => entry.candidate);
}

/** Insertions, deletions, substitutions and swaps of neighbours that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  let beforePrevious = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2] + 1);
      current[j] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length];
}

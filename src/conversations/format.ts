/** Words for times and values shown in the tree and the status bar. */

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago"; undefined when the text is not a date. */
export function relativeTime(iso: string, nowMs: number): string | undefined {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return undefined;
  const seconds = Math.round((nowMs - at) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  let text: string;
  if (s < 5) return 'just now';
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86400) text = `${Math.floor(s / 3600)} h`;
  else {
    const days = Math.floor(s / 86400);
    text = `${days} day${days === 1 ? '' : 's'}`;
  }
  return future ? `in ${text}` : `${text} ago`;
}

/** A date as the user's clock shows it, with the original text when it does not parse. */
export function exactTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? `${iso} (not a recognised date)` : `${at.toLocaleString()} (${at.toISOString()})`;
}

/** A JSON scalar as it reads in a tree row: strings quoted, so "42" and 42 look different. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string' || (typeof value === 'object' && value !== null)) return JSON.stringify(value);
  return String(value);
}

/** A one-line preview of a JSON object or array, e.g. `{3 keys}` or `[2 items]`. */
export function containerSummary(value: object): string {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  const count = Object.keys(value).length;
  return `{${count} key${count === 1 ? '' : 's'}}`;
}

/** Cuts long text for one row, keeping whole code points. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

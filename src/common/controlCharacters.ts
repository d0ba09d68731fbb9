// C0 controls, DEL and C1 controls: never part of a name, a key or an id a person types.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// The same, with the bidirectional overrides that can make shown text read otherwise than it is.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BIDI_RUNS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** Text from elsewhere made safe to show on one line: each run of control or bidi characters becomes a space. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_OR_BIDI_RUNS, ' ');
}

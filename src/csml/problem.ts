/** What a check found in one flow, where (UTF-16 offsets, end exclusive), and what to do about it. */
export interface Problem {
  readonly start: number;
  readonly end: number;
  readonly severity: 'error' | 'warning' | 'hint';
  /** Says what is wrong and what to do next, in one sentence. */
  readonly message: string;
  /** A stable name for the rule, e.g. `missing-step`: quick fixes and `--json` readers key on it. */
  readonly code: string;
  /** Code that does nothing: editors fade it. */
  readonly unnecessary?: boolean;
  /** Code the engine still runs but will not always: editors strike it through. */
  readonly deprecated?: boolean;
}

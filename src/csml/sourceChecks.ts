import { lintFlow } from './engineLint';
import { syntaxProblem } from './engineSyntax';
import type { FlowModel } from './flowModel';
import type { Problem } from './problem';

/** What the checks of one flow's source found, and whether the CSML engine would parse it. */
export interface SourceCheck {
  readonly problems: Problem[];
  /** False when the engine's parser refuses the flow: it then reports that error alone, and lints nothing. */
  readonly parses: boolean;
}

/**
 * The problems of one flow's source that need no other flow: the CSML engine's syntax error, or, when it parses,
 * the linter's rules on a single flow. Computed once per version of the text; the checks that look across the bot
 * are in `botChecks.ts`. Call it right after `parseFlow` of the same text: the linter reuses its tokens.
 */
export function checkSource(text: string, model: FlowModel): SourceCheck {
  const syntax = syntaxProblem(text);
  return syntax ? { problems: [syntax], parses: false } : { problems: lintFlow(text, model), parses: true };
}

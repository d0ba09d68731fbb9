import type { BotModel, FlowEntry } from './botModel';
import { lintStatements, StatementLint } from './engineStatements';
import { tokensOfLastParse } from './flowParser';
import type { FlowModel, ImportedName, Name } from './flowModel';
import type { Span } from './tokens';
import type { Problem } from './problem';

/**
 * The CSML engine's linter, as far as one flow alone tells: a step, a function, an import or an insert declared
 * twice, and the rules on statements (`engineStatements.ts`). The engine lints only a bot whose every flow
 * parses, so call this only on a flow its parser accepts.
 */
export function lintFlow(text: string, model: FlowModel): Problem[] {
  const problems: Problem[] = [];
  duplicates(model, problems);
  const constants = new Set(model.constants.map((constant) => constant.name.text));
  const update = constantUpdates(constants);
  // The parser's tokens of this text, when it was the last parsed: the scans need not tokenize again.
  const lint: StatementLint = { text, tokens: tokensOfLastParse(text), constants, into: problems };
  for (const fn of model.functions) scanIfNeeded(lint, fn, true, FUNCTION_WORDS, update);
  for (const step of model.steps) scanIfNeeded(lint, step, false, STEP_WORDS, update);
  return problems.sort((a, b) => a.start - b.start);
}

/**
 * The engine's rules that look at other flows: an import or an insert that finds nothing, or that takes a name
 * the flow already declares; and, when the bot's default flow is known, a flow with steps but no `start`.
 */
export function lintLinks(bot: BotModel, flow: FlowEntry, defaultFlow?: string): Problem[] {
  const problems: Problem[] = [];
  const model = flow.model;
  const imported = new Set<string>();
  for (const declaration of model.imports) {
    for (const entry of declaration.names) {
      const local = (entry.alias ?? entry.name).text;
      // The engine keeps the first of two imports of one name; the second is a duplicate.
      if (imported.has(local)) continue;
      imported.add(local);
      if (declaration.from?.kind === 'module') continue; // a module's functions are not in the bot
      if (flow.functions.has(local)) {
        problems.push(
          error(
            nameOf(entry),
            'import-conflict',
            `This flow already declares a function ${local}: rename the import with "as", or the function.`,
          ),
        );
      }
      const from = declaration.from;
      if (from) {
        const sources = bot.flowsNamed(from.name.text);
        if (!sources.some((source) => source.functions.has(entry.name.text))) {
          problems.push(
            error(
              entry.name,
              'import-not-found',
              sources.length === 0
                ? `Import failed: no flow ${from.name.text} in this bot (names must match exactly). Create it, or correct the name.`
                : `Import failed: flow ${from.name.text} has no function ${entry.name.text}. Declare it there, or correct the name.`,
            ),
          );
        }
      } else if (bot.flowsDeclaring(entry.name.text).length === 0) {
        problems.push(
          error(
            entry.name,
            'import-not-found',
            `Import failed: no flow of this bot declares a function ${entry.name.text}. Declare it, or correct the name.`,
          ),
        );
      }
    }
  }
  const inserted = new Set<string>();
  for (const declaration of model.inserts) {
    const from = declaration.from;
    if (from?.kind !== 'flow') continue;
    const sources = bot.flowsNamed(from.name.text);
    for (const entry of declaration.names) {
      const local = (entry.alias ?? entry.name).text;
      if (inserted.has(local)) continue;
      inserted.add(local);
      if (flow.steps.has(local)) {
        problems.push(
          error(nameOf(entry), 'insert-conflict', `This flow already has a step ${local}: rename the insert with "as", or the step.`),
        );
      }
      if (!sources.some((source) => source.steps.has(entry.name.text))) {
        const message =
          sources.length === 0
            ? `Insert failed: no flow ${from.name.text} in this bot has a step ${entry.name.text}. Create the flow, or correct its name.`
            : `Insert failed: flow ${from.name.text} has no step ${entry.name.text}. Create the step there, or correct the name.`;
        problems.push(error(entry.name, 'insert-not-found', message));
      }
    }
  }
  if (defaultFlow !== undefined && lacksStart(flow, defaultFlow)) {
    problems.push(
      error(
        { start: 0, end: 0 },
        'missing-start',
        `Flow ${flow.name} has steps but no start step, which the engine requires of every flow but the default one: add a start: step.`,
      ),
    );
  }
  return problems.sort((a, b) => a.start - b.start);
}

/** The engine's rule: a flow with at least one step needs `start`, unless it is the bot's default flow, named exactly. */
function lacksStart(flow: FlowEntry, defaultFlow: string): boolean {
  return flow.name !== defaultFlow && flow.model.steps.length > 0 && !flow.steps.has('start');
}

/** Declarations the engine reports as duplicates: at each one after the first of its kind and name. */
function duplicates(model: FlowModel, into: Problem[]): void {
  const report = (names: Iterable<Name>, code: string, kind: string) => {
    const seen = new Set<string>();
    for (const name of names) {
      if (!seen.has(name.text)) seen.add(name.text);
      else into.push(error(name, code, `${kind} ${name.text} is declared twice in this flow: rename or remove this one.`));
    }
  };
  report(
    model.steps.map((step) => step.name),
    'duplicate-step',
    'Step',
  );
  report(
    model.functions.map((fn) => fn.name),
    'duplicate-function',
    'Function',
  );
  report(
    model.imports.flatMap((declaration) => declaration.names.map(nameOf)),
    'duplicate-import',
    'Import',
  );
  report(
    model.inserts.flatMap((declaration) => declaration.names.map(nameOf)),
    'duplicate-insert',
    'Insert',
  );
}

/** A name as the flow knows it: the alias when there is one. */
function nameOf(entry: ImportedName): Name {
  return entry.alias ?? entry.name;
}

/**
 * Scans a step's or a function's statements when its text holds a word some rule is about, and only up to the line
 * after the last such word: most steps and functions need no scan at all.
 */
function scanIfNeeded(lint: StatementLint, container: Span, inFunction: boolean, words: RegExp, update: RegExp | undefined): void {
  const body = lint.text.slice(container.start, container.end);
  const last = Math.max(lastMatch(words, body), update ? lastMatch(update, body) : -1);
  if (last < 0) return;
  // The line after the last hit too: a `return` may give its value on the next line.
  const lineEnd = body.indexOf('\n', last);
  const nextLineEnd = lineEnd < 0 ? -1 : body.indexOf('\n', lineEnd + 1);
  const end = nextLineEnd < 0 ? container.end : container.start + nextLineEnd;
  lintStatements(lint, { start: container.start, end, inFunction });
}

/** Where the last match of `pattern` (global) in `text` starts, or -1. */
function lastMatch(pattern: RegExp, text: string): number {
  let last = -1;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) last = match.index;
  return last;
}

/** `do NAME =` (or `+=`, `-=`…) for the flow's constants; undefined when it has none. */
function constantUpdates(constants: ReadonlySet<string>): RegExp | undefined {
  if (constants.size === 0) return undefined;
  const names = [...constants].map((name) => name.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&'));
  return new RegExp(`\\bdo\\s+(?:${names.join('|')})\\s*[-+*/%]?=`, 'g');
}

/** The words of the rules on a function's statements (`return` is at home there). */
const FUNCTION_WORDS = /\b(?:say|goto|remember|hold|break|continue|use|Object|Fn)\b/g;
/** The words of the rules on a step's statements. */
const STEP_WORDS = /\b(?:return|break|continue|use|Object|Fn)\b/g;

function error(span: Span, code: string, message: string): Problem {
  return { start: span.start, end: span.end, severity: 'error', code, message };
}

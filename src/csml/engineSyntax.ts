import { asciiLower } from './names';
import type { Problem } from './problem';
import { constantError } from './syntax/constantValues';
import { EngineGrammar, RESTARTED } from './syntax/engineGrammar';
import { EngineMessage, Expected, wordingOf } from './syntax/engineMessages';
import { RESERVED_IN_ASSIGNMENT } from './syntax/engineWords';

const grammar = new EngineGrammar();

const WORD = /[\p{Alphabetic}\p{N}_\\-]+/uy;
const PUNCTUATION = /[^\s\p{Alphabetic}\p{N}_\\"`-]{1,6}/uy;

/**
 * The error the CSML engine's parser returns for this flow, where it reports it, or undefined when the engine
 * reads the flow. The engine stops at its first error, so there is at most one. Linear in the text's length;
 * it never throws.
 */
export function syntaxProblem(text: string): Problem | undefined {
  try {
    return problemOf(text);
  } catch {
    // Nothing a flow holds should get here; if it does, say nothing rather than something wrong.
    return undefined;
  } finally {
    grammar.release();
  }
}

function problemOf(text: string): Problem | undefined {
  const failure = grammar.parseFlow(text);
  if (failure !== undefined) {
    const restarted = failure.at === RESTARTED;
    const at = restarted ? 0 : Math.min(failure.at, text.length);
    let { code, message } = wordingOf(failure.message, failure.expected);
    const name = wordAt(text, at) ?? punctuationAt(text, at);
    if (failure.message === EngineMessage.Parsing && name !== undefined) {
      if (text.charCodeAt(at + name.length) === 0x3a && RESERVED_IN_ASSIGNMENT.has(asciiLower(name))) {
        code = 'reserved-name';
        message = `\`${name}\` is a reserved word of CSML and cannot name a step: rename the step.`;
      } else if (name === 'fn') {
        message =
          'The CSML engine cannot read this function declaration: write `fn name(parameters):` or `fn name(parameters) { … }`, with no space before `(`.';
      } else {
        message = `The CSML engine cannot read \`${name}\` here: start a statement with a keyword (say, do, if, goto, …) or write a step label as \`name:\`.`;
      }
    }
    const keywordPrefixed = restarted ? undefined : nameStartingWithKeyword(text, at);
    if (keywordPrefixed !== undefined) {
      const [whole, keyword] = keywordPrefixed;
      message = `\`${whole}\` starts with \`${keyword}\`, which the CSML engine reads as the keyword: rename it so that it does not start with \`${keyword}\`.`;
    }
    if (restarted) {
      const comment = grammar.unclosedComment;
      message += ` The engine reads the rest of the flow as a comment, because the \`/*\` on line ${lineOf(text, comment)} is never closed, and so reports this at line 1.`;
    } else if (failure.cause !== RESTARTED && lineOf(text, failure.cause) !== lineOf(text, at)) {
      const line = lineOf(text, failure.cause);
      message +=
        failure.message === EngineMessage.DoubleQuote
          ? ` The string starts on line ${line}.`
          : ` The CSML engine reports it at the start of the enclosing construct; it stopped reading on line ${line}.`;
    }
    return { start: at, end: tokenEnd(text, at), severity: 'error', code, message };
  }
  for (const constant of grammar.constants) {
    const error = constantError(grammar.constantValue(text, constant.valueAt));
    if (error === undefined) continue;
    const { code, message } = wordingOf(error.message, Expected.Unknown);
    return { start: error.at, end: tokenEnd(text, error.at), severity: 'error', code, message };
  }
  return undefined;
}

/**
 * The engine reads `if`, `foreach`, `while` and `else if` wherever a word starts with them: a step named
 * `ifNotOk` after a statement is read as an `if` and fails right after those letters.
 */
function nameStartingWithKeyword(text: string, at: number): [string, string] | undefined {
  let start = at;
  while (start > 0 && /[\p{Alphabetic}\p{N}_\\-]/u.test(text[start - 1])) start--;
  if (start === at) return undefined;
  const whole = (text.slice(start, at) + (wordAt(text, at) ?? '')).trim();
  const keyword = text.slice(start, at);
  if (keyword === 'elseif') return [whole, 'else if'];
  return ['if', 'foreach', 'while'].includes(keyword) && whole.length > keyword.length ? [whole, keyword] : undefined;
}

/** The punctuation at `at`, up to the next space, word or quote (at most a few characters). */
function punctuationAt(text: string, at: number): string | undefined {
  PUNCTUATION.lastIndex = at;
  const match = PUNCTUATION.exec(text);
  return match === null ? undefined : match[0];
}

function wordAt(text: string, at: number): string | undefined {
  WORD.lastIndex = at;
  const match = WORD.exec(text);
  return match === null ? undefined : match[0];
}

/** The end of what the error points at: a word, one character, or nothing at a line's end. */
function tokenEnd(text: string, at: number): number {
  const word = wordAt(text, at);
  if (word !== undefined) return at + word.length;
  const c = text.charCodeAt(at);
  if (Number.isNaN(c) || c === 0x0a || c === 0x0d) return at;
  return c >= 0xd800 && c <= 0xdbff && at + 1 < text.length ? at + 2 : at + 1;
}

function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Finds the top-level step labels (`name:`) of a CSML flow.
 *
 * A single pass over UTF-16 code units that keeps track of strings, `{{ }}`
 * interpolation, comments and brace depth, so that object keys, text in
 * strings and commented-out code are never mistaken for steps.
 */

export interface StepLabel {
  name: string;
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column of the first character of the name. */
  character: number;
}

const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'foreach',
  'while',
  'if',
  'else',
  'import',
  'as',
  'do',
  'event',
  'flow',
  'step',
  'say',
  'use',
  'hold',
  'goto',
  'match',
  'remember',
  'forget',
  '_metadata',
  '_memory',
  '_env',
  'true',
  'false',
  'null',
  'break',
  'component',
]);

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const VERTICAL_TAB = 0x0b;
const FORM_FEED = 0x0c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const MINUS = 0x2d;
const UNDERSCORE = 0x5f;
const BYTE_ORDER_MARK = 0xfeff;

const enum Mode {
  Code,
  String,
  LineComment,
  BlockComment,
}

// Sticky, so it tests one code point in place without slicing the source.
const UNICODE_NAME_CHAR = /[\p{L}\p{N}]/uy;
const UNICODE_SPACE = /\s/uy;

// Where each mode has to look again. Skipping to them with a native search keeps
// the scan fast even before the JIT has warmed up; the scan itself stays one pass.
const NEXT_IN_CODE = /[{}"/\r\n]/g;
const NEXT_IN_STRING = /["\\{\r\n]/g;
const NEXT_IN_LINE_COMMENT = /[\r\n]/g;
const NEXT_IN_BLOCK_COMMENT = /\*\/|[\r\n]/g;

/** Index of the next match of a one-character `search` from `from`, or `length` when there is none. */
function skipTo(search: RegExp, source: string, from: number): number {
  search.lastIndex = from;
  return search.test(source) ? search.lastIndex - 1 : source.length;
}

// 1 for the ASCII characters a name can hold: letters, digits, `_` and `-`.
const ASCII_NAME_CHAR = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) {
  const isLetterOrDigit = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
  ASCII_NAME_CHAR[c] = isLetterOrDigit || c === UNDERSCORE || c === MINUS ? 1 : 0;
}

/** Blocks made only of letters, common in step names, answered without the Unicode tables. */
function isCommonLetter(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || // Latin-1 and Latin Extended
    (c >= 0x400 && c <= 0x481) || // Cyrillic
    (c >= 0x4e00 && c <= 0x9fff) || // CJK Unified Ideographs
    (c >= 0xac00 && c <= 0xd7a3) // Hangul syllables
  );
}

/** Width in code units of the name character at `i`, or 0 when there is none. */
function nameCharWidth(source: string, i: number, c: number): number {
  if (c < 0x80) {
    return ASCII_NAME_CHAR[c];
  }
  if (isCommonLetter(c)) {
    return 1;
  }
  UNICODE_NAME_CHAR.lastIndex = i;
  if (!UNICODE_NAME_CHAR.test(source)) {
    return 0;
  }
  return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}

function isSpace(source: string, i: number, c: number): boolean {
  if (c < 0x80) {
    return c === SPACE || c === TAB || c === VERTICAL_TAB || c === FORM_FEED;
  }
  UNICODE_SPACE.lastIndex = i;
  return UNICODE_SPACE.test(source);
}

/** An optional minus sign followed by ASCII digits only: the engine would read it as a number. */
function isNumber(name: string): boolean {
  const start = name.charCodeAt(0) === MINUS ? 1 : 0;
  if (start === name.length) {
    return false;
  }
  for (let i = start; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      return false;
    }
  }
  return true;
}

function isStepName(name: string): boolean {
  return !isNumber(name) && !RESERVED_WORDS.has(name.toLowerCase());
}

/**
 * Calls `visit` for each label in source order; stops early when it returns true.
 *
 * A label is only recognised as the first token of its line (comments and
 * whitespace before it are allowed), which is how steps are written and keeps
 * `a ? b:c` or `foo.bar:` from counting.
 */
function visitStepLabels(source: string, visit: (label: StepLabel) => boolean): void {
  const length = source.length;
  let i = 0;
  let line = 0;
  let lineStart = 0;
  let atLineStart = true;
  let mode = Mode.Code;
  let braceDepth = 0;
  // Brace depths of the code around each open `{{` interpolation, innermost last.
  const interpolations: number[] = [];

  if (length > 0 && source.charCodeAt(0) === BYTE_ORDER_MARK) {
    // Editors hide the BOM, so columns on the first line start after it.
    i = 1;
    lineStart = 1;
  }

  while (i < length) {
    const c = source.charCodeAt(i);

    if (c === LF || c === CR) {
      i += c === CR && i + 1 < length && source.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      lineStart = i;
      atLineStart = true;
      if (mode === Mode.LineComment) {
        mode = Mode.Code;
      }
      // Indentation never changes the state, whatever the mode.
      while (i < length && (source.charCodeAt(i) === SPACE || source.charCodeAt(i) === TAB)) {
        i++;
      }
      continue;
    }

    switch (mode) {
      case Mode.LineComment:
        i = skipTo(NEXT_IN_LINE_COMMENT, source, i);
        continue;

      case Mode.BlockComment:
        NEXT_IN_BLOCK_COMMENT.lastIndex = i;
        if (!NEXT_IN_BLOCK_COMMENT.test(source)) {
          i = length;
        } else if (source.charCodeAt(NEXT_IN_BLOCK_COMMENT.lastIndex - 1) === SLASH) {
          mode = Mode.Code;
          i = NEXT_IN_BLOCK_COMMENT.lastIndex;
        } else {
          i = NEXT_IN_BLOCK_COMMENT.lastIndex - 1;
        }
        continue;

      case Mode.String:
        atLineStart = false;
        if (c === BACKSLASH) {
          // Leave an escaped line break to the line counting above.
          const next = i + 1 < length ? source.charCodeAt(i + 1) : -1;
          i += next === LF || next === CR ? 1 : 2;
        } else if (c === QUOTE) {
          mode = Mode.Code;
          i++;
        } else if (c === OPEN_BRACE && i + 1 < length && source.charCodeAt(i + 1) === OPEN_BRACE) {
          interpolations.push(braceDepth);
          braceDepth = 0;
          mode = Mode.Code;
          i += 2;
        } else {
          i = skipTo(NEXT_IN_STRING, source, i + 1);
        }
        continue;

      case Mode.Code:
        break;
    }

    if (!atLineStart || braceDepth > 0 || interpolations.length > 0) {
      // No label can start here, so only what changes the mode or depth matters.
      if (c !== OPEN_BRACE && c !== CLOSE_BRACE && c !== QUOTE && c !== SLASH) {
        i = skipTo(NEXT_IN_CODE, source, i + 1);
        continue;
      }
    } else if (isSpace(source, i, c)) {
      i++;
      continue;
    }

    if (c === SLASH && i + 1 < length) {
      const next = source.charCodeAt(i + 1);
      if (next === SLASH) {
        mode = Mode.LineComment;
        i += 2;
        continue;
      }
      if (next === STAR) {
        mode = Mode.BlockComment;
        i += 2;
        continue;
      }
    }

    if (c === QUOTE) {
      mode = Mode.String;
      atLineStart = false;
      i++;
      continue;
    }

    if (c === OPEN_BRACE) {
      braceDepth++;
      atLineStart = false;
      i++;
      continue;
    }

    if (c === CLOSE_BRACE) {
      atLineStart = false;
      if (braceDepth === 0 && interpolations.length > 0 && i + 1 < length && source.charCodeAt(i + 1) === CLOSE_BRACE) {
        braceDepth = interpolations.pop() as number;
        mode = Mode.String;
        i += 2;
        continue;
      }
      // A stray `}` must not hide every label that follows it.
      if (braceDepth > 0) {
        braceDepth--;
      }
      i++;
      continue;
    }

    let width = nameCharWidth(source, i, c);
    if (width === 0) {
      atLineStart = false;
      i++;
      continue;
    }

    // Only reached for the first token of a top-level line: a label if a colon follows at once.
    const nameStart = i;
    do {
      i += width;
      if (i >= length) {
        break;
      }
      const next = source.charCodeAt(i);
      width = next < 0x80 ? ASCII_NAME_CHAR[next] : nameCharWidth(source, i, next);
    } while (width > 0);
    const isCandidate = i < length && source.charCodeAt(i) === COLON;
    atLineStart = false;

    if (isCandidate) {
      const name = source.slice(nameStart, i);
      if (isStepName(name) && visit({ name, line, character: nameStart - lineStart })) {
        return;
      }
    }
  }
}

/** Every top-level step label of a CSML source, in source order. */
export function scanStepLabels(source: string): StepLabel[] {
  const labels: StepLabel[] = [];
  visitStepLabels(source, (label) => {
    labels.push(label);
    return false;
  });
  return labels;
}

/** The first label named exactly `step` (step names are case-sensitive). */
export function findStepLabel(source: string, step: string): StepLabel | undefined {
  // Every label is its name followed by a colon, so a missing step needs no scan.
  if (step === '' || !source.includes(step + ':')) {
    return undefined;
  }
  let found: StepLabel | undefined;
  visitStepLabels(source, (label) => {
    if (label.name === step) {
      found = label;
      return true;
    }
    return false;
  });
  return found;
}

/**
 * Words as the CSML engine weighs them: which it refuses as names, and how it measures them.
 */

// The engine also lists `Component` among reserved words, but compares lower-cased names with it: it never matches.

/** Words refused, in any case, where a name is read (`say name`, `forget name`). */
export const RESERVED_IN_USE = new Set([
  'foreach', 'while', 'if', 'else', 'import', 'const', 'insert', 'as', 'do', 'flow', 'step', 'say', 'use', 'hold',
  'goto', 'match', 'remember', 'forget', 'break',
]); // prettier-ignore

/** Words refused, in any case, where a name is given: assignments, step labels, functions, `as`, goto targets. */
export const RESERVED_IN_ASSIGNMENT = new Set([
  'foreach', 'while', 'if', 'else', 'import', 'as', 'do', 'event', 'flow', 'step', 'say', 'use', 'hold', 'goto',
  'match', 'remember', 'forget', '_metadata', '_memory', '_env', 'true', 'false', 'null', 'break',
]); // prettier-ignore

/** Length in UTF-8 bytes, as the engine measures names and distances. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

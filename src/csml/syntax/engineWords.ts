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

/** Rust's `to_ascii_lowercase`: only A to Z change, as when the engine compares names with reserved words. */
export function asciiLowerCase(name: string): string {
  let upper = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // Beyond ASCII, toLowerCase would change more than A to Z.
    if (c > 0x7f) return name.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  return upper ? name.toLowerCase() : name;
}

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

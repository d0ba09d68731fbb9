/** Lower-cases A-Z only, as Rust's to_ascii_lowercase does: the engine compares names that way. */
export function asciiLower(text: string): string {
  let upper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Beyond ASCII, toLowerCase would change more than A to Z.
    if (c > 0x7f) return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  return upper ? text.toLowerCase() : text;
}

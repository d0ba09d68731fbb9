/** Lower-cases A-Z only, as Rust's to_ascii_lowercase does: the engine compares names that way. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

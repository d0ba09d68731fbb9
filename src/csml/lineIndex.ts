/** Turns UTF-16 offsets into 0-based lines and columns, for text that is not open in an editor. */
export class LineIndex {
  /** Offset of the first character of each line; a line ends at `\n`, `\r\n` or a lone `\r`. */
  private readonly starts: number[];

  constructor(text: string) {
    // Editors do not count a byte order mark as a column.
    this.starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    // A native search from one line end to the next, rather than a look at every character.
    const ends = text.includes('\r') ? /\r\n?|\n/g : /\n/g;
    for (let match = ends.exec(text); match; match = ends.exec(text)) this.starts.push(match.index + match[0].length);
  }

  position(offset: number): { line: number; character: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - this.starts[low] };
  }
}

/** The position of one offset, without indexing every line: counts the line feeds before it. */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  if (text.includes('\r')) return new LineIndex(text).position(offset);
  let line = 0;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, character: offset - lineStart };
}

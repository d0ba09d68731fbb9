/** Whether two texts of a flow are the same to a person: line endings and trailing white space do not count. */
export function sameFlowText(a: string, b: string): boolean {
  return normalise(a) === normalise(b);
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}

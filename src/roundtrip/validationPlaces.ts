/**
 * Where each error of a Studio validation belongs: on a local flow, at a line and column, or, for a flow
 * without a local file, nowhere in the editor.
 */
import { StudioValidationError } from '../studio/validationAnswer';

/** 0-based, as editors count; `line` undefined means the whole flow. */
export interface PlacedError {
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly step?: string;
  readonly message: string;
}

export interface ErrorPlaces {
  /** Local flow name → its errors, in the order the Studio gave them. */
  readonly byFlow: ReadonlyMap<string, readonly PlacedError[]>;
  /** Errors about a flow with no local file, or about no flow at all. */
  readonly elsewhere: readonly StudioValidationError[];
}

/**
 * @param flowNames each flow sent, by id → name: an error may name its flow either way.
 * @param localNames the flows that have a local file.
 */
export function placeErrors(
  errors: readonly StudioValidationError[],
  flowNames: ReadonlyMap<string, string>,
  localNames: readonly string[],
): ErrorPlaces {
  const local = new Set(localNames);
  const folded = new Map<string, string>();
  for (const name of localNames) {
    const key = name.toLowerCase();
    // Two local names alike but for case: neither is the one a case-blind reference means.
    folded.set(key, folded.has(key) ? '' : name);
  }
  const resolve = (reference: string): string | undefined => {
    const name = flowNames.get(reference) ?? reference;
    if (local.has(name)) return name;
    return folded.get(name.toLowerCase()) || undefined;
  };
  const byFlow = new Map<string, PlacedError[]>();
  const elsewhere: StudioValidationError[] = [];
  for (const error of errors) {
    const flow = error.flow === undefined ? undefined : resolve(error.flow);
    if (flow === undefined) {
      // Named as people know it: by name, not by the id the answer may use.
      elsewhere.push(error.flow === undefined ? error : { ...error, flow: flowNames.get(error.flow) ?? error.flow });
      continue;
    }
    const placed: PlacedError = {
      line: error.line === undefined ? undefined : error.line - 1,
      column: error.column === undefined ? undefined : error.column - 1,
      endLine: error.endLine === undefined ? undefined : error.endLine - 1,
      endColumn: error.endColumn === undefined ? undefined : error.endColumn - 1,
      step: error.step,
      message: error.message,
    };
    byFlow.set(flow, [...(byFlow.get(flow) ?? []), placed]);
  }
  return { byFlow, elsewhere };
}

/** An error the local checks show, 0-based. */
export interface LocalError {
  readonly line: number;
  readonly column: number;
  readonly code?: string;
}

/**
 * The errors not already shown by the local checks, which mirror the engine's parser and linter and place their
 * errors where the engine does: an error of the Studio at the place of a local error (on its line, when the Studio
 * gives no column) says the same thing again, as does a missing start the local checks report too.
 */
export function notShownLocally(errors: readonly PlacedError[], local: readonly LocalError[]): PlacedError[] {
  const missingStart = local.some((error) => error.code === 'missing-start');
  return errors.filter((error) => {
    if (missingStart && (error.line === undefined || error.line === 0) && /\bstart\b/i.test(error.message)) return false;
    if (error.line === undefined) return true;
    return !local.some((mine) => mine.line === error.line && (error.column === undefined || mine.column === error.column));
  });
}

/** 0-based, end exclusive. */
export interface LineSpan {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * Where an error shows in the text it was found in: from its column to its end, else to the end of the word
 * there; a line alone is the whole line; no line is the whole flow. Places past the text are pulled back into it.
 */
export function spanIn(text: string, error: PlacedError): LineSpan {
  const lines = text.split(/\r\n|\r|\n/);
  const last = lines.length - 1;
  if (error.line === undefined) return { startLine: 0, startColumn: 0, endLine: last, endColumn: lines[last].length };
  const line = Math.min(error.line, last);
  const content = lines[line];
  if (error.column === undefined || error.line > last) {
    const indent = content.length - content.trimStart().length;
    return { startLine: line, startColumn: indent, endLine: line, endColumn: content.length };
  }
  const column = Math.min(error.column, content.length);
  if (error.endLine !== undefined && error.endColumn !== undefined && error.endLine >= line) {
    const endLine = Math.min(error.endLine, last);
    const endColumn = Math.min(error.endColumn, lines[endLine].length);
    if (endLine > line || endColumn > column) return { startLine: line, startColumn: column, endLine, endColumn };
  }
  const word = /^[\p{L}\p{N}_]+/u.exec(content.slice(column));
  const end = word ? column + word[0].length : Math.min(column + 1, content.length);
  return { startLine: line, startColumn: column, endLine: line, endColumn: end };
}

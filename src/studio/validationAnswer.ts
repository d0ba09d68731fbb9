/**
 * The Studio's answer to `POST /bot/validate`. Sources name the fields of an error differently (the Studio CLI
 * reads `col`, the engine writes `start_line`/`start_column`), so every spelling is accepted; positions are
 * 1-based, and a missing or 0 line means the error is about the whole flow.
 */
import { withoutControlCharacters } from '../common/controlCharacters';
import { isJsonObject, JsonObject, SchemaError } from './schema';

export interface StudioValidationError {
  /** The flow's name, or its id: the Studio's answers use either. */
  readonly flow?: string;
  readonly step?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly message: string;
}

export type ValidationAnswer = { readonly valid: true } | { readonly valid: false; readonly errors: readonly StudioValidationError[] };

/** A message this long is no longer read; the log keeps nothing longer either. */
const MAX_MESSAGE_LENGTH = 600;
/** The engine's parse errors quote the line and point at it: `at line N,\n<line>\n   ^\n<what is wrong>`. */
const QUOTED_SOURCE = /^at line \d+,\r?\n[^\n]*\r?\n[ \t]*\^+[ \t]*(?:\r?\n|$)/;

export function parseValidationAnswer(body: unknown): ValidationAnswer {
  if (!isJsonObject(body)) throw new SchemaError('the answer is not an object');
  if (typeof body.valid !== 'boolean') throw new SchemaError('valid is missing or not a boolean');
  const errors = body.errors;
  if (errors !== undefined && errors !== null && !Array.isArray(errors)) throw new SchemaError('errors is not an array');
  const parsed = (errors ?? []).map(parseError);
  // An answer that lists errors is not valid, whatever its flag says.
  if (body.valid && parsed.length === 0) return { valid: true };
  return { valid: false, errors: parsed };
}

function parseError(value: unknown, index: number): StudioValidationError {
  if (typeof value === 'string') return { message: cleanMessage(value) };
  if (!isJsonObject(value)) throw new SchemaError(`errors[${index}] is not an object`);
  const said = [value.message, value.error, value.description].find(
    (text): text is string => typeof text === 'string' && text.trim() !== '',
  );
  const line = position(value, ['line', 'start_line']);
  return {
    flow: name(value.flow) ?? name(value.flow_id) ?? name(value.flow_name),
    step: name(value.step) ?? name(value.step_id),
    line,
    column: line === undefined ? undefined : position(value, ['column', 'col', 'start_column']),
    endLine: line === undefined ? undefined : position(value, ['end_line']),
    endColumn: line === undefined ? undefined : position(value, ['end_column', 'end_col']),
    message: said === undefined ? 'The Studio reported an error without saying what it is.' : cleanMessage(said),
  };
}

function name(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The first of `fields` holding a positive whole number (as a number or a numeric string). */
function position(object: JsonObject, fields: readonly string[]): number | undefined {
  for (const field of fields) {
    const raw = object[field];
    const value = typeof raw === 'string' && /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  }
  return undefined;
}

/**
 * One readable message: the source the engine quotes is already in the editor, so only what is wrong is kept;
 * characters that could disguise the text are dropped, and a very long message is cut.
 */
export function cleanMessage(message: string): string {
  const unquoted = message.replace(QUOTED_SOURCE, '');
  const text = withoutControlCharacters(unquoted.trim() === '' ? message : unquoted)
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

import { isDeclarableName, parseFlow } from './flowParser';
import { tokenize, TokenKind } from './tokens';
import { COMPONENTS } from './vocabulary';

/** The engine refuses a name longer than this, counted in UTF-8 bytes. */
const MAX_NAME_BYTES = 255;

/**
 * What the engine calls before a function of the flow: its built-in functions and native components, matched
 * exactly. A function given one of these names would never be called.
 */
const BUILT_INS: ReadonlySet<string> = new Set([
  'OneOf',
  'Shuffle',
  'Length',
  'Find',
  'Random',
  'Floor',
  'Fn',
  'App',
  'HTTP',
  'Object',
  'Debug',
  'UUID',
  'Base64',
  'Hex',
  'JWT',
  'Crypto',
  'Time',
  'SMTP',
  'Exists',
  'Or',
  ...COMPONENTS.map((component) => component.name),
]);

/** Why `text` cannot name a step, in one sentence; undefined when it can. */
export function whyNotAStepName(text: string): string | undefined {
  const general = whyNotAName(text);
  if (general) return general;
  if (text === 'end') return '"end" cannot name a step: `goto end` ends the conversation. Choose another name.';
  if (text === 'start')
    return 'Renaming a step to "start" would change where every conversation of the flow begins: do it by hand if you mean it.';
  // The name must read back as a name wherever a rename writes it.
  const probe = parseFlow(`${text}:\n  goto ${text}\n  goto ${text}@F\ninsert ${text} from F\n`);
  const readBack =
    probe.steps[0]?.name.text === text &&
    probe.gotos.length === 2 &&
    probe.gotos.every((goto) => goto.step?.text === text && !goto.step.dynamic) &&
    probe.inserts[0]?.names[0]?.name.text === text;
  return readBack ? undefined : keyword(text);
}

/** Why `text` cannot name a function, in one sentence; undefined when it can. */
export function whyNotAFunctionName(text: string): string | undefined {
  const general = whyNotAName(text);
  if (general) return general;
  if (BUILT_INS.has(text)) return `"${text}" is a built-in of CSML: calls would reach it instead of this function. Choose another name.`;
  const probe = parseFlow(`fn ${text}(x):\n  return ${text}(x)\nimport ${text} from F\n`);
  const readBack =
    probe.functions[0]?.name.text === text &&
    probe.calls.length === 1 &&
    probe.calls[0].text === text &&
    probe.imports[0]?.names[0]?.name.text === text;
  return readBack ? undefined : keyword(text);
}

function whyNotAName(text: string): string | undefined {
  if (text.length === 0) return 'A name cannot be empty: type the new name.';
  const { tokens } = tokenize(text);
  const oneWord = tokens.count === 1 && tokens.kind(0) === TokenKind.Word && tokens.start(0) === 0 && tokens.end(0) === text.length;
  if (!oneWord) return `${quoted(text)} is not a CSML name: use letters, digits, "_" and "-" only.`;
  if (utf8Length(text) > MAX_NAME_BYTES) return 'This name is too long for CSML, which allows 255 bytes: choose a shorter name.';
  if (!isDeclarableName(text)) {
    return /^[+-]?[\d.]/.test(text) || /^[+-]?(inf|infinity|nan)$/i.test(text)
      ? `"${text}" reads as a number in CSML, not as a name: choose a name with a letter in it.`
      : `"${text}" is a reserved word of CSML: choose another name.`;
  }
  return undefined;
}

function keyword(text: string): string {
  return `"${text}" is a keyword of CSML where this name is written: choose another name.`;
}

/** The text in quotes for a message, shortened, with line breaks and other controls shown as spaces. */
export function quoted(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  // eslint-disable-next-line no-control-regex
  return `"${short.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')}"`;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

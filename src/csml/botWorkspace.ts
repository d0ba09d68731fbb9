/**
 * The files the Studio CLI writes next to a bot's flows: `.env` (the API
 * credentials) and `bot.json` (the bot's name and default flow).
 */

import type { Credentials } from '../studio/signing';

export interface BotJson {
  name?: string;
  description?: string;
  /** A flow name, not an id: no ids are stored on disk. */
  defaultFlow?: string;
}

const DOTENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/;
const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };

function unquoteDotEnvValue(raw: string): string {
  if (raw.startsWith("'")) {
    const close = raw.indexOf("'", 1);
    // An unterminated quote keeps the text as written.
    return close > 0 ? raw.slice(1, close) : raw;
  }
  if (raw.startsWith('"')) {
    const close = findClosingDoubleQuote(raw);
    return close > 0 ? unescapeDoubleQuoted(raw.slice(1, close)) : raw;
  }
  // Unquoted: a `#` after whitespace starts a comment.
  const comment = raw.search(/\s#/);
  return (comment >= 0 ? raw.slice(0, comment) : raw).trim();
}

function findClosingDoubleQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === '"') {
      return i;
    }
  }
  return -1;
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\(.)/g, (_, char: string) => DOUBLE_QUOTE_ESCAPES[char] ?? char);
}

/** `KEY=VALUE` pairs of a `.env` file; later keys win, and `$VARS` are left as they are. */
export function parseDotEnv(text: string): Record<string, string> {
  const values = new Map<string, string>();
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      continue;
    }
    const match = DOTENV_LINE.exec(line);
    if (match) {
      values.set(match[1], unquoteDotEnvValue(match[2]));
    }
  }
  // fromEntries defines own properties, so a `__proto__` key cannot touch the prototype.
  return Object.fromEntries(values);
}

/** The Studio API key and secret the CLI stored in `.env`, when both are there. */
export function studioCredentialsFromDotEnv(text: string): Credentials | undefined {
  const env = parseDotEnv(text);
  const apiKey = Object.hasOwn(env, 'API_KEY') ? env.API_KEY.trim() : '';
  const apiSecret = Object.hasOwn(env, 'API_SECRET') ? env.API_SECRET.trim() : '';
  return apiKey !== '' && apiSecret !== '' ? { apiKey, apiSecret } : undefined;
}

/** The useful fields of `bot.json`; undefined when it is not a JSON object. */
export function parseBotJson(text: string): BotJson | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return undefined;
  }
  const fields = parsed as Record<string, unknown>;
  const bot: BotJson = {};
  if (typeof fields.name === 'string') {
    bot.name = fields.name;
  }
  if (typeof fields.description === 'string') {
    bot.description = fields.description;
  }
  if (typeof fields.default_flow === 'string') {
    bot.defaultFlow = fields.default_flow;
  }
  return bot;
}

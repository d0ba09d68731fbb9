/**
 * Validation of the Studio's JSON answers. Documented fields must have their documented types;
 * anything else the server adds is kept, so newer fields show up instead of breaking the view.
 */

export type JsonObject = { [key: string]: unknown };

export interface ConversationClient {
  readonly channelId?: string;
  readonly userId?: string;
  readonly botId?: string;
}

export interface Conversation {
  readonly id?: string;
  readonly flowId: string;
  readonly stepId: string;
  readonly status?: string;
  /** Any JSON value, as the Studio stores whatever the bot remembered. */
  readonly metadata: unknown;
  readonly lastInteractionAt?: string;
  readonly createdAt?: string;
  readonly client?: ConversationClient;
  /** Fields the documentation does not name (`updated_at`, `expires_at`, ...). */
  readonly extra: JsonObject;
}

export type OpenConversationAnswer = { readonly hasOpen: false } | { readonly hasOpen: true; readonly conversation: Conversation };

export interface Bot {
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly defaultFlow?: string;
}

export interface Flow {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly content?: string;
  readonly commands?: readonly string[];
  readonly updatedAt?: string;
}

/** Thrown with a short reason; the client turns it into a user-facing StudioError. */
export class SchemaError extends Error {}

const CONVERSATION_FIELDS = new Set(['id', 'client', 'flow_id', 'step_id', 'metadata', 'status', 'last_interaction_at', 'created_at']);

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function requiredString(object: JsonObject, field: string, where: string): string {
  const value = object[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new SchemaError(`${where}.${field} is ${value === undefined ? 'missing' : describe(value)}, not a non-empty string`);
  }
  return value;
}

function presentString(object: JsonObject, field: string, where: string): string {
  const value = object[field];
  if (typeof value !== 'string')
    throw new SchemaError(`${where}.${field} is ${value === undefined ? 'missing' : describe(value)}, not a string`);
  return value;
}

function optionalString(object: JsonObject, field: string, where: string): string | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SchemaError(`${where}.${field} is ${describe(value)}, not a string`);
  return value;
}

/**
 * Fields only shown or copied to disk, never relied on: a wrong type there costs that field, not the answer.
 * Absent fields get no key, so a bot or flow compares equal to one built without them.
 */
function lenientStrings<K extends string>(object: JsonObject, fields: Readonly<Record<string, K>>): Partial<Record<K, string>> {
  const found: Partial<Record<K, string>> = {};
  for (const [field, key] of Object.entries(fields)) {
    const value = object[field];
    if (typeof value === 'string') found[key] = value;
  }
  return found;
}

function parseClient(value: unknown): ConversationClient | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw new SchemaError(`conversation.client is ${describe(value)}, not an object`);
  return {
    channelId: optionalString(value, 'channel_id', 'conversation.client'),
    userId: optionalString(value, 'user_id', 'conversation.client'),
    botId: optionalString(value, 'bot_id', 'conversation.client'),
  };
}

export function parseConversation(value: unknown): Conversation {
  if (!isJsonObject(value)) throw new SchemaError(`conversation is ${describe(value)}, not an object`);
  const extra: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (!CONVERSATION_FIELDS.has(key)) extra[key] = field;
  }
  return {
    id: optionalString(value, 'id', 'conversation'),
    flowId: requiredString(value, 'flow_id', 'conversation'),
    stepId: requiredString(value, 'step_id', 'conversation'),
    status: optionalString(value, 'status', 'conversation'),
    metadata: value.metadata === undefined ? null : value.metadata,
    lastInteractionAt: optionalString(value, 'last_interaction_at', 'conversation'),
    createdAt: optionalString(value, 'created_at', 'conversation'),
    client: parseClient(value.client),
    extra,
  };
}

/** `POST /conversations/open`. "No open conversation" comes with `conversation` null, absent or `{}`. */
export function parseOpenConversationAnswer(body: unknown): OpenConversationAnswer {
  if (!isJsonObject(body)) throw new SchemaError(`the answer is ${describe(body)}, not an object`);
  const hasOpen = body.has_open;
  if (typeof hasOpen !== 'boolean') {
    throw new SchemaError(`has_open is ${hasOpen === undefined ? 'missing' : describe(hasOpen)}, not a boolean`);
  }
  if (!hasOpen) return { hasOpen: false };
  if (body.conversation === undefined || body.conversation === null) {
    throw new SchemaError('has_open is true but the conversation is missing');
  }
  return { hasOpen: true, conversation: parseConversation(body.conversation) };
}

/** `GET /bot`. */
export function parseBot(body: unknown): Bot {
  if (!isJsonObject(body)) throw new SchemaError(`the answer is ${describe(body)}, not an object`);
  return {
    id: optionalString(body, 'id', 'bot'),
    name: requiredString(body, 'name', 'bot'),
    defaultFlow: optionalString(body, 'default_flow', 'bot'),
    ...lenientStrings(body, { description: 'description' }),
  };
}

function parseFlow(value: unknown, index: number): Flow {
  const where = `flows[${index}]`;
  if (!isJsonObject(value)) throw new SchemaError(`${where} is ${describe(value)}, not an object`);
  const commands = value.commands;
  return {
    id: requiredString(value, 'id', where),
    // An empty name is the download's to refuse, with the rest of the flows still written.
    name: presentString(value, 'name', where),
    content: optionalString(value, 'content', where),
    commands: Array.isArray(commands) ? commands.filter((c): c is string => typeof c === 'string') : undefined,
    ...lenientStrings(value, { description: 'description', updated_at: 'updatedAt' }),
  };
}

/** One flow, as `POST /bot/flows` (and at times `PUT /bot/flows/:id`) answer it. */
export function parseOneFlow(body: unknown): Flow {
  return parseFlow(body, 0);
}

/** A version built by `POST /bot/build`. */
export interface BotBuild {
  readonly versionId: string;
  readonly engineVersion?: string;
  readonly createdAt?: string;
}

/** `POST /bot/build` and `GET /bot/build`. */
export function parseBotBuild(body: unknown): BotBuild {
  if (!isJsonObject(body)) throw new SchemaError(`the answer is ${describe(body)}, not an object`);
  return {
    versionId: requiredString(body, 'version_id', 'build'),
    ...lenientStrings(body, { engine_version: 'engineVersion', created_at: 'createdAt' }),
  };
}

/** `GET /bot/flows`. */
export function parseFlows(body: unknown): Flow[] {
  if (!Array.isArray(body)) throw new SchemaError(`the answer is ${describe(body)}, not an array of flows`);
  return body.map(parseFlow);
}

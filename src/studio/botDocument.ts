/**
 * `GET /bot` kept whole: validation sends the bot back as the Studio gave it, fields this extension does not
 * know included, so only what it relies on is checked.
 */
import { Bot, isJsonObject, JsonObject, parseBot, SchemaError } from './schema';

export interface BotDocument {
  readonly bot: Bot;
  readonly raw: JsonObject;
}

export function parseBotDocument(body: unknown): BotDocument {
  const bot = parseBot(body);
  const raw = body as JsonObject;
  const flows = raw.flows;
  if (flows !== undefined && flows !== null) {
    if (!Array.isArray(flows)) throw new SchemaError('bot.flows is not an array');
    flows.forEach((flow, index) => {
      if (!isJsonObject(flow) || typeof flow.id !== 'string' || typeof flow.name !== 'string') {
        throw new SchemaError(`bot.flows[${index}] is not a flow with an id and a name`);
      }
    });
  }
  return { bot, raw };
}

import { isJsonObject, SchemaError } from './schema';

/** What a test user sends: a text, a flow trigger that starts a flow, or a button's payload. */
export type ChatPayload =
  | { readonly content_type: 'text'; readonly content: { readonly text: string } }
  | { readonly content_type: 'flow_trigger'; readonly content: { readonly flow_id: string; readonly close_flows: boolean } }
  /** A button clicked: its payload, as the engine reads a click. */
  | { readonly content_type: 'payload'; readonly content: { readonly payload: string } };

export interface ChatMessage {
  readonly contentType: string;
  readonly content: unknown;
}

export interface ChatAnswer {
  readonly messages: readonly ChatMessage[];
  readonly conversationEnd: boolean;
}

/** `POST /chat`: the bot's replies, in order. */
export function parseChatAnswer(body: unknown): ChatAnswer {
  if (!isJsonObject(body)) throw new SchemaError('the answer is not an object');
  if (!Array.isArray(body.messages)) throw new SchemaError('messages is not an array');
  const messages = body.messages.map((message, index) => {
    const payload = isJsonObject(message) ? message.payload : undefined;
    if (!isJsonObject(payload) || typeof payload.content_type !== 'string') {
      throw new SchemaError(`messages[${index}].payload has no content_type`);
    }
    return { contentType: payload.content_type, content: payload.content };
  });
  return { messages, conversationEnd: body.conversation_end === true };
}

/** A reply as a person reads it: text as text, anything else as compact JSON. */
export function replyText(message: ChatMessage): string {
  if (message.contentType === 'text' && isJsonObject(message.content) && typeof message.content.text === 'string') {
    return message.content.text;
  }
  return `[${message.contentType}] ${JSON.stringify(message.content) ?? ''}`;
}

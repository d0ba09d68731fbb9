import { BotMessage } from './botMessages';

/** A bot's message as one line of a plain-text transcript; nothing for a pause, which only says the bot is typing. */
export function replyLine(message: BotMessage): string | undefined {
  switch (message.kind) {
    case 'text':
      return message.text;
    case 'question':
      return [message.title, ...message.buttons.map((button) => `[${button.title}]`)]
        .filter((part) => part !== undefined && part !== '')
        .join(' ');
    case 'image':
      return `[image] ${message.url}`;
    case 'link':
      return message.text === message.url ? `[${message.media}] ${message.url}` : `[${message.media}] ${message.text} <${message.url}>`;
    case 'pause':
      return undefined;
    case 'debug':
      return `[debug] ${message.lines.join(' ')}`;
    case 'error':
      return `[error] ${message.text}`;
    case 'other':
      return `[${message.contentType}] ${message.json.replace(/\s*\n\s*/g, ' ')}`;
  }
}

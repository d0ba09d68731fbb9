/**
 * Builders for the sample bot ("Pizza Helper") as the Studio would serve it. The flows come from the workspace in
 * test/fixtures/sample-bot, laid out like the Studio CLI writes it, so the API answers and the files on disk agree.
 * Ids are fixed strings: tests and screenshots stay the same from run to run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { EmulatorOptions, StudioBot, StudioConversation, StudioFlow } from './studioEmulator';

export const SAMPLE_ORGANIZATION_ID = '9e7d4c1a-3b2f-4e8d-a6c5-1f0e2d3c4b5a';
export const SAMPLE_BOT_ID = '5f3a2b1c-8d7e-4f6a-9b0c-2d1e3f4a5b6c';
export const SAMPLE_CHANNEL_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

/** Fixed ids of the sample flows, by name; a flow added to the workspace later gets one derived from its name. */
export const SAMPLE_FLOW_IDS: Readonly<Record<string, string>> = {
  Default: '2c6f1e8a-4d3b-4a9c-8e7f-1b2a3c4d5e6f',
  Onboarding: '8b4e2d1f-6a5c-4b3e-9d8c-7f6e5d4c3b2a',
  OrderPizza: 'e3d2c1b0-9a8f-4e7d-b6c5-4a3b2c1d0e9f',
};

const FLOW_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Default: 'Greets the customer and routes them',
  Onboarding: "Learns the customer's name and favourite topping",
  OrderPizza: 'Takes a pizza order from size to checkout',
};

const SAMPLE_RELATIVE_PATH = path.join('test', 'fixtures', 'sample-bot');
const CREATED_AT = '2024-03-04T10:15:00.000Z';
const UPDATED_AT = '2024-06-18T14:42:07.000Z';
const CONVERSATION_TIME = '2024-06-20T08:30:00.000Z';

/**
 * The repository root: the first folder up from this file that holds package.json and the sample bot. Works from
 * test/emulator (ts-node), out/test/emulator (compiled) and, when compiled elsewhere, from the working directory.
 */
export function repositoryRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let folder = path.resolve(start);
    for (;;) {
      if (fs.existsSync(path.join(folder, 'package.json')) && fs.existsSync(path.join(folder, SAMPLE_RELATIVE_PATH))) {
        return folder;
      }
      const parent = path.dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
  }
  throw new Error(`Cannot find the repository root (a folder with package.json and ${SAMPLE_RELATIVE_PATH})`);
}

/** The sample bot's workspace folder (bot.json, flows/). */
export function sampleBotFolder(): string {
  return path.join(repositoryRoot(), SAMPLE_RELATIVE_PATH);
}

/** The sample flows, read from disk, sorted by name, in the shape `GET /bot/flows` answers. */
export function sampleFlows(): StudioFlow[] {
  const flowsFolder = path.join(sampleBotFolder(), 'flows');
  const names = fs
    .readdirSync(flowsFolder)
    .filter((file) => file.endsWith('.csml') && !file.endsWith('.cmds.csml'))
    .map((file) => file.slice(0, -'.csml'.length))
    .sort();
  return names.map((name) => {
    const commandsFile = path.join(flowsFolder, `${name}.cmds.csml`);
    const commands = fs.existsSync(commandsFile)
      ? fs
          .readFileSync(commandsFile, 'utf8')
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== '')
      : [];
    return {
      id: sampleFlowId(name),
      bot_id: SAMPLE_BOT_ID,
      organization_id: SAMPLE_ORGANIZATION_ID,
      name,
      description: FLOW_DESCRIPTIONS[name] ?? '',
      commands,
      content: fs.readFileSync(path.join(flowsFolder, `${name}.csml`), 'utf8'),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    };
  });
}

/** The bot as `GET /bot` answers it, minus `flows`; bot.json names its default flow, the API gives its id. */
export function sampleBot(): StudioBot {
  const botJson = JSON.parse(fs.readFileSync(path.join(sampleBotFolder(), 'bot.json'), 'utf8')) as {
    name: string;
    description: string;
    default_flow: string;
  };
  return {
    id: SAMPLE_BOT_ID,
    organization_id: SAMPLE_ORGANIZATION_ID,
    name: botJson.name,
    description: botJson.description,
    default_flow: sampleFlowId(botJson.default_flow),
    created_at: CREATED_AT,
    updated_at: UPDATED_AT,
    env: { MENU_API_URL: 'https://menu.pizza-helper.example/v2', DELIVERY_RADIUS_KM: '8' },
  };
}

export type ConversationOverrides = Partial<Omit<StudioConversation, 'client'>> & { client?: Partial<StudioConversation['client']> };

/** An open conversation in the documented shape, in the Default flow at `start` unless overridden. */
export function sampleConversation(userId: string, overrides: ConversationOverrides = {}): StudioConversation {
  const { client, ...rest } = overrides;
  // Keys in the documented order, so printed answers read like the Studio documentation.
  const conversation: StudioConversation = {
    id: uuidFromText(`conversation:${userId}`),
    client: { channel_id: SAMPLE_CHANNEL_ID, user_id: userId, bot_id: SAMPLE_BOT_ID, ...client },
    flow_id: SAMPLE_FLOW_IDS.Default,
    step_id: 'start',
    metadata: { firstname: capitalise(userId), preferences: { locale: 'en-GB', channel: 'webapp' } },
    status: 'OPEN',
    last_interaction_at: CONVERSATION_TIME,
    created_at: CONVERSATION_TIME,
  };
  return Object.assign(conversation, rest);
}

/**
 * The sample users: `alice` in Onboarding, `bob` in OrderPizza, `carol` with no open conversation, and `dave`
 * whose conversation names its flow (lower-case) instead of giving its id, as the engine allows.
 */
export function sampleConversations(): Record<string, StudioConversation | null> {
  return {
    alice: sampleConversation('alice', { flow_id: SAMPLE_FLOW_IDS.Onboarding, step_id: 'ask_name' }),
    bob: sampleConversation('bob', { flow_id: SAMPLE_FLOW_IDS.OrderPizza, step_id: 'choose_size' }),
    carol: null,
    dave: sampleConversation('dave', { flow_id: 'orderpizza', step_id: 'summary' }),
  };
}

/** Emulator options serving the sample bot to the sample users, on the sample channel. */
export function sampleEmulatorOptions(): EmulatorOptions {
  return { bot: sampleBot(), flows: sampleFlows(), conversations: sampleConversations(), channelId: SAMPLE_CHANNEL_ID };
}

export function sampleFlowId(name: string): string {
  return SAMPLE_FLOW_IDS[name] ?? uuidFromText(`flow:${name}`);
}

/** A stable uuid-shaped string derived from a text (version 5 layout), for ids that must not change between runs. */
function uuidFromText(text: string): string {
  const hex = createHash('sha1').update(text, 'utf8').digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A bot as the Studio serves it, turned into the files of the Studio CLI's layout (`bot.json`,
 * `flows/<Name>.csml`, `flows/<Name>.cmds.csml`), with what was deployed when it was read, so later
 * changes on either side can be told apart. Nothing here touches the disk.
 */

import { createHash } from 'node:crypto';
import { flowFiles, RefusedFlow } from './flowFileNames';
import type { Bot, Flow } from '../studio/schema';

export interface PlannedFile {
  /** Relative, with forward slashes: `bot.json`, `flows/X.csml`, `flows/X.cmds.csml`. */
  readonly path: string;
  readonly content: string;
  /** The flow's name, for a flow's two files. */
  readonly flow?: string;
}

export interface DeployedFlow {
  readonly id: string;
  readonly contentHash: string;
  /** Of its commands, one a line: a colleague may change those alone. Absent in a base kept before it was recorded. */
  readonly commandsHash?: string;
  readonly updatedAt?: string;
}

export interface DeployedBase {
  readonly botId?: string;
  /** By flow name; a prototype-free object, so any name is only a key. */
  readonly flows: Readonly<Record<string, DeployedFlow>>;
}

export interface DownloadPlan {
  readonly files: PlannedFile[];
  readonly refused: RefusedFlow[];
  readonly base: DeployedBase;
}

const FLOWS_FOLDER = 'flows/';

/** Lowercase hex SHA-256 of the text's UTF-8 bytes. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function commandsHash(commands: readonly string[] | undefined): string {
  return contentHash((commands ?? []).join('\n'));
}

/**
 * `bot.default_flow` is a flow id; `bot.json` holds a name. The engine takes an id or a name in any case,
 * so the first match wins in this order: the id as written, the id in any case, the name, the name in any case.
 */
function defaultFlowName(reference: string | undefined, flows: readonly Flow[]): string | undefined {
  if (reference === undefined) return undefined;
  const lower = reference.toLowerCase();
  const flow =
    flows.find((f) => f.id === reference) ??
    flows.find((f) => f.id.toLowerCase() === lower) ??
    flows.find((f) => f.name === reference) ??
    flows.find((f) => f.name.toLowerCase() === lower);
  return flow?.name;
}

function botJson(bot: Bot, flows: readonly Flow[]): string {
  const defaultFlow = defaultFlowName(bot.defaultFlow, flows);
  const json = {
    name: bot.name,
    description: bot.description ?? '',
    ...(defaultFlow === undefined ? {} : { default_flow: defaultFlow }),
  };
  return JSON.stringify(json, undefined, 2) + '\n';
}

function commandsFile(commands: readonly string[] | undefined): string {
  return commands === undefined || commands.length === 0 ? '' : commands.join('\n') + '\n';
}

/** The files to write for a bot and its flows, the flows that cannot be written and why, and what was deployed. */
export function planDownload(bot: Bot, flows: readonly Flow[]): DownloadPlan {
  const { accepted, refused } = flowFiles(flows.map((flow) => flow.name));
  // flowFiles refuses every copy of a repeated name, so each accepted name is one flow.
  const byName = new Map(flows.map((flow) => [flow.name, flow]));

  const files: PlannedFile[] = [{ path: 'bot.json', content: botJson(bot, flows) }];
  const deployed = Object.create(null) as Record<string, DeployedFlow>;
  const reasons = new Map(refused.map((r) => [r.name, r.reason]));
  for (const names of accepted) {
    const flow = byName.get(names.name);
    if (flow?.content === undefined) {
      reasons.set(names.name, 'the Studio sent no content for it');
      continue;
    }
    files.push(
      { path: FLOWS_FOLDER + names.source, content: flow.content, flow: flow.name },
      { path: FLOWS_FOLDER + names.commands, content: commandsFile(flow.commands), flow: flow.name },
    );
    deployed[flow.name] = {
      id: flow.id,
      contentHash: contentHash(flow.content),
      commandsHash: commandsHash(flow.commands),
      updatedAt: flow.updatedAt,
    };
  }

  // In the Studio's order, each name once: a Map keeps its keys in the order they were first set.
  const order = new Map(flows.map((flow) => [flow.name, reasons.get(flow.name)]));
  const refusedInOrder: RefusedFlow[] = [];
  for (const [name, reason] of order) if (reason !== undefined) refusedInOrder.push({ name, reason });
  return { files, refused: refusedInOrder, base: { botId: bot.id, flows: deployed } };
}

/**
 * The body of `POST /bot/validate`: the bot as `GET /bot` returns it, each flow's content replaced by the local
 * file's, and the flows that exist only locally added with a placeholder id. Whatever else the Studio sent about
 * the bot goes back as it came.
 */
import { createHash } from 'node:crypto';
import { isJsonObject, JsonObject } from '../studio/schema';

export interface LocalFlow {
  readonly name: string;
  readonly content: string;
  /** From `<Flow>.cmds.csml`, one a line; only sent for a flow the Studio does not have yet. */
  readonly commands?: readonly string[];
}

export interface ValidationRequest {
  readonly body: JsonObject;
  /** Each flow sent, by the id it was sent with: the answer may name a flow by its id. */
  readonly flowNames: ReadonlyMap<string, string>;
  /** Deployed flows whose content was not in `GET /bot` and has no local file: `GET /bot/flows` has it. */
  readonly missingContent: readonly string[];
}

/**
 * @param deployedContents flow id → content, from `GET /bot/flows`, for flows `GET /bot` lists without content.
 */
export function validationRequest(
  bot: JsonObject,
  local: readonly LocalFlow[],
  deployedContents: ReadonlyMap<string, string> = new Map(),
): ValidationRequest {
  const deployed = Array.isArray(bot.flows) ? bot.flows.filter(isJsonObject) : [];
  const matched = matchLocalFlows(
    deployed.map((flow) => (typeof flow.name === 'string' ? flow.name : undefined)),
    local,
  );
  const used = new Set(matched.filter((flow) => flow !== undefined));
  const flowNames = new Map<string, string>();
  const missingContent: string[] = [];
  const flows: JsonObject[] = deployed.map((flow, index) => {
    const id = typeof flow.id === 'string' ? flow.id : undefined;
    if (id !== undefined && typeof flow.name === 'string') flowNames.set(id, flow.name);
    const mine = matched[index];
    if (mine) return { ...flow, content: mine.content };
    if (typeof flow.content === 'string') return flow;
    const content = id === undefined ? undefined : deployedContents.get(id);
    if (content !== undefined) return { ...flow, content };
    if (id !== undefined) missingContent.push(id);
    return flow;
  });
  for (const flow of local) {
    if (used.has(flow)) continue;
    const id = placeholderId(flow.name);
    flowNames.set(id, flow.name);
    flows.push({
      id,
      ...(typeof bot.id === 'string' ? { bot_id: bot.id } : {}),
      name: flow.name,
      description: '',
      commands: [...(flow.commands ?? [])],
      content: flow.content,
    });
  }
  return { body: { ...bot, flows }, flowNames, missingContent };
}

/**
 * The local flow of each deployed name: the same name first, then, for names still without one, the only local
 * flow left that differs from it by case alone. No local flow stands for two deployed ones.
 */
export function matchLocalFlows(names: readonly (string | undefined)[], local: readonly LocalFlow[]): (LocalFlow | undefined)[] {
  const exact = new Map<string, LocalFlow>();
  for (const flow of local) if (!exact.has(flow.name)) exact.set(flow.name, flow);
  const matched = names.map((name) => (name === undefined ? undefined : exact.get(name)));
  const taken = new Set(matched);
  const folded = new Map<string, LocalFlow[]>();
  for (const flow of local) {
    if (taken.has(flow)) continue;
    const key = flow.name.toLowerCase();
    folded.set(key, [...(folded.get(key) ?? []), flow]);
  }
  const deployedFolded = new Map<string, number>();
  for (const name of names)
    if (name !== undefined) deployedFolded.set(name.toLowerCase(), (deployedFolded.get(name.toLowerCase()) ?? 0) + 1);
  return matched.map((flow, index) => {
    const name = names[index];
    if (flow || name === undefined) return flow;
    const key = name.toLowerCase();
    const candidates = folded.get(key) ?? [];
    return candidates.length === 1 && deployedFolded.get(key) === 1 ? candidates[0] : undefined;
  });
}

/** A stable id shaped like the Studio's (a version 4 UUID), so each validation of a new flow names it alike. */
export function placeholderId(name: string): string {
  const hex = createHash('sha256').update(`csml-local-flow\n${name}`, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A commands file's lines: one command a line, blank lines and surrounding spaces dropped. */
export function parseCommands(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

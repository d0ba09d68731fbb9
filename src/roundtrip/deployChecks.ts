/**
 * The bot as the Studio would hold it once a deploy's requests land, and what the checks say of it: the local
 * checks see only this folder's flows, while the bot also keeps the deployed flows a deploy leaves alone (skipped,
 * taken from the Studio, with no local file), and a goto into one of those may find its step gone.
 */
import { BotChecks } from '../csml/botChecks';
import { BotModel } from '../csml/botModel';
import { endsConversation } from '../csml/checks';
import { parseFlow } from '../csml/flowParser';
import type { Flow } from '../studio/schema';
import type { DeployOperation } from './deploySend';

export interface FlowText {
  readonly name: string;
  readonly content: string;
}

/** Each deployed flow as the deploy leaves it: sent ones with what is sent, deleted ones gone, new ones added. */
export function botAfterDeploy(deployed: readonly Flow[], operations: readonly DeployOperation[]): FlowText[] {
  const sent = new Map<string, DeployOperation>();
  for (const operation of operations) if (operation.kind !== 'create') sent.set(operation.flowId, operation);
  const flows: FlowText[] = [];
  for (const flow of deployed) {
    const operation = sent.get(flow.id);
    if (operation?.kind === 'delete') continue;
    const content = operation?.kind === 'update' ? operation.flow.content : flow.content;
    if (content !== undefined) flows.push({ name: flow.name, content });
  }
  for (const operation of operations)
    if (operation.kind === 'create') flows.push({ name: operation.name, content: operation.flow.content });
  return flows;
}

export interface DeployProblems {
  readonly errors: number;
  /** Gotos to a step or flow the bot would lack: the conversation would end there. */
  readonly endings: number;
  /** The first few, as `Flow: message`, to name them. */
  readonly examples: readonly string[];
}

/** The engine's errors and the gotos to missing targets in a whole bot; `defaultFlow` is the default flow's name. */
export function deployProblems(flows: readonly FlowText[], defaultFlow: string | undefined): DeployProblems {
  const bot = new BotModel();
  bot.defaultFlow = defaultFlow;
  const checks = new BotChecks(bot);
  for (const flow of flows) checks.flowSet(bot.set(flow.name, flow.name, parseFlow(flow.content)), flow.content);
  let errors = 0;
  let endings = 0;
  const examples: string[] = [];
  for (const [name, problems] of checks.recheck()) {
    for (const problem of problems) {
      const ending = endsConversation(problem.code);
      if (problem.severity !== 'error' && !ending) continue;
      if (ending) endings++;
      else errors++;
      if (examples.length < 3) examples.push(`${name}: ${problem.message}`);
    }
  }
  return { errors, endings, examples };
}

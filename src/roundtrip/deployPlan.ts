/**
 * What a deploy would do to each flow, worked out before anything is sent: the local flows against the deployed
 * ones and the base each was last downloaded or deployed from. A deployed flow that moved away from its base (a
 * colleague's change), or that has no base, is never overwritten without the user's choice.
 */
import type { Flow } from '../studio/schema';
import { commandsHash, contentHash, DeployedBase, DeployedFlow } from './downloadPlan';
import { matchLocalFlows } from './validationRequest';

export interface LocalDeployFlow {
  readonly name: string;
  readonly content: string;
  /** From `<Flow>.cmds.csml`; undefined without such a file: the deployed commands are then kept as they are. */
  readonly commands?: readonly string[];
}

export type DeployStep =
  /** Changed here only: sent with `PUT`. */
  | { readonly kind: 'update'; readonly local: LocalDeployFlow; readonly deployed: Flow }
  /** New here: sent with `POST`. */
  | { readonly kind: 'create'; readonly local: LocalDeployFlow }
  /** The same on both sides. */
  | { readonly kind: 'unchanged'; readonly local: LocalDeployFlow; readonly deployed: Flow }
  /** Different, and the Studio's version is not the base: the user chooses. */
  | { readonly kind: 'conflict'; readonly local: LocalDeployFlow; readonly deployed: Flow; readonly why: ConflictReason }
  /** Deployed, with no local file: deleted only if the user ticks it. */
  | { readonly kind: 'remoteOnly'; readonly deployed: Flow }
  /** Its name differs from deployed flows' by case alone, and it is not clear which one it is: never sent. */
  | { readonly kind: 'clash'; readonly local: LocalDeployFlow; readonly deployed: readonly Flow[] };

/**
 * `changedInStudio`: both sides moved off the base; `studioAhead`: only the Studio did, this folder is as it was
 * last downloaded or deployed; `noBase`: nothing is known of where this folder started from.
 */
export type ConflictReason = 'changedInStudio' | 'studioAhead' | 'noBase';

/** The flow a step is about, by the name the user knows. */
export function stepName(step: DeployStep): string {
  return step.kind === 'create' || step.kind === 'clash' ? step.local.name : step.deployed.name;
}

/** Line endings are no change worth sending: the Studio keeps whatever it is sent. */
function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n?/g, '\n') === b.replace(/\r\n?/g, '\n');
}

function sameCommands(local: readonly string[] | undefined, deployed: readonly string[] | undefined): boolean {
  if (local === undefined) return true;
  const theirs = deployed ?? [];
  return local.length === theirs.length && local.every((command, i) => command === theirs[i]);
}

/** Whether the deployed flow is still the version the base remembers: same flow, same content, same commands. */
export function isAtBase(deployed: Flow, base: DeployedBase | undefined): boolean {
  const known = base?.flows[deployed.name];
  return (
    known !== undefined &&
    known.id === deployed.id &&
    deployed.content !== undefined &&
    known.contentHash === contentHash(deployed.content) &&
    (known.commandsHash === undefined || known.commandsHash === commandsHash(deployed.commands))
  );
}

export function planDeploy(local: readonly LocalDeployFlow[], deployed: readonly Flow[], base: DeployedBase | undefined): DeployStep[] {
  const matched = matchLocalFlows(
    deployed.map((flow) => flow.name),
    local,
  );
  const steps: DeployStep[] = [];
  const used = new Set<LocalDeployFlow>();
  deployed.forEach((flow, index) => {
    const mine = matched[index];
    if (!mine) {
      steps.push({ kind: 'remoteOnly', deployed: flow });
      return;
    }
    used.add(mine);
    if (flow.content !== undefined && sameText(mine.content, flow.content) && sameCommands(mine.commands, flow.commands)) {
      steps.push({ kind: 'unchanged', local: mine, deployed: flow });
    } else if (isAtBase(flow, base)) {
      steps.push({ kind: 'update', local: mine, deployed: flow });
    } else {
      steps.push({ kind: 'conflict', local: mine, deployed: flow, why: conflictReason(mine, base?.flows[flow.name]) });
    }
  });
  for (const flow of local) {
    if (used.has(flow)) continue;
    // The engine finds flows by name ignoring case: a second flow so named would be ambiguous.
    const alike = deployed.filter((candidate) => candidate.name.toLowerCase() === flow.name.toLowerCase());
    steps.push(alike.length > 0 ? { kind: 'clash', local: flow, deployed: alike } : { kind: 'create', local: flow });
  }
  return steps;
}

function conflictReason(local: LocalDeployFlow, known: DeployedFlow | undefined): ConflictReason {
  if (!known) return 'noBase';
  const localAtBase =
    known.contentHash === contentHash(local.content) &&
    (local.commands === undefined || known.commandsHash === undefined || known.commandsHash === commandsHash(local.commands));
  return localAtBase ? 'studioAhead' : 'changedInStudio';
}

/**
 * The steps whose deployed flow changed since the plan was made, as read again right before the first send: a
 * flow updated, deleted or created meanwhile under a planned name.
 */
export function changedSincePlan(steps: readonly DeployStep[], now: readonly Flow[]): string[] {
  const byId = new Map(now.map((flow) => [flow.id, flow]));
  const names = new Set(now.map((flow) => flow.name.toLowerCase()));
  const changed: string[] = [];
  for (const step of steps) {
    if (step.kind === 'create') {
      if (names.has(step.local.name.toLowerCase())) changed.push(step.local.name);
      continue;
    }
    if (step.kind === 'unchanged' || step.kind === 'clash') continue;
    const current = byId.get(step.deployed.id);
    const same =
      current !== undefined &&
      current.content === step.deployed.content &&
      current.updatedAt === step.deployed.updatedAt &&
      sameCommands(current.commands ?? [], step.deployed.commands);
    if (!same) changed.push(step.deployed.name);
  }
  return changed;
}

/**
 * Sending a deploy: one request per flow, in order, each recorded as it lands so that a deploy cut short tells
 * exactly what the Studio has and a second deploy sends only the rest.
 */
import type { FlowToSend, StudioClient } from '../studio/client';
import { asStudioError, StudioError } from '../studio/errors';
import { withPacedRetry } from '../studio/pacedRetry';
import type { Flow } from '../studio/schema';
import { commandsHash, contentHash, DeployedBase, DeployedFlow } from './downloadPlan';
import { changedSincePlan, DeployStep, stepName } from './deployPlan';

export type DeployOperation =
  | { readonly kind: 'update'; readonly name: string; readonly flowId: string; readonly flow: FlowToSend }
  | { readonly kind: 'create'; readonly name: string; readonly flow: FlowToSend & { readonly name: string } }
  | { readonly kind: 'delete'; readonly name: string; readonly flowId: string };

export interface SentOperation {
  readonly operation: DeployOperation;
  /** The flow as the Studio answered it, when it did. */
  readonly flow?: Flow;
}

export interface DeployOutcome {
  readonly sent: readonly SentOperation[];
  /** The request that failed; whether the Studio applied it is not known when the connection was cut. */
  readonly failed?: { readonly operation: DeployOperation; readonly error: StudioError };
  readonly notSent: readonly DeployOperation[];
  readonly cancelled: boolean;
  /** Flows that changed in the Studio after the plan was made: nothing was sent, the plan must be made again. */
  readonly changedSincePlan: readonly string[];
}

export interface SendOptions {
  /** Checked between requests: a request under way is let finish, so that its outcome is known. */
  readonly signal?: AbortSignal;
  /** Told after each request that landed, so the base can move with it (and survive a crash midway). */
  readonly onSent?: (sent: SentOperation) => void | Promise<void>;
  readonly onProgress?: (done: number, total: number, operation: DeployOperation) => void;
  readonly onWait?: (seconds: number) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What the steps the user chose send, in order: new flows first, then updates, deletions last. */
export function operationsFor(steps: readonly DeployStep[], deletions: ReadonlySet<string>): DeployOperation[] {
  const creates: DeployOperation[] = [];
  const updates: DeployOperation[] = [];
  const deletes: DeployOperation[] = [];
  for (const step of steps) {
    if (step.kind === 'create') {
      const { name, content, commands } = step.local;
      creates.push({ kind: 'create', name, flow: { name, description: '', commands: [...(commands ?? [])], content } });
    } else if (step.kind === 'update' || step.kind === 'conflict') {
      // A conflict reaches here only once the user chose to overwrite. The Studio's description is kept, and its
      // commands too when the folder has no commands file for the flow.
      const { content } = step.local;
      const flow = {
        content,
        commands: [...(step.local.commands ?? step.deployed.commands ?? [])],
        ...(step.deployed.description !== undefined ? { description: step.deployed.description } : {}),
      };
      updates.push({ kind: 'update', name: step.deployed.name, flowId: step.deployed.id, flow });
    } else if (step.kind === 'remoteOnly' && deletions.has(step.deployed.id)) {
      deletes.push({ kind: 'delete', name: step.deployed.name, flowId: step.deployed.id });
    }
  }
  return [...creates, ...updates, ...deletes];
}

/**
 * Reads the deployed flows once more, and sends only if none of the planned ones moved since the plan; then sends
 * each operation, stopping at the first failure or a cancellation.
 */
export async function sendDeploy(
  client: StudioClient,
  steps: readonly DeployStep[],
  operations: readonly DeployOperation[],
  options: SendOptions = {},
): Promise<DeployOutcome> {
  const retryOptions = { onWait: options.onWait, sleep: options.sleep, signal: options.signal };
  const paced = <T>(request: () => Promise<T>) => withPacedRetry(request, retryOptions);
  const now = await paced(() => client.getFlows(options.signal));
  // Only the flows this deploy touches: a colleague's edit elsewhere is theirs to keep.
  const touched = new Set(operations.map((operation) => operation.name));
  const changed = changedSincePlan(
    steps.filter((step) => touched.has(stepName(step))),
    now,
  );
  if (changed.length > 0) return { sent: [], notSent: operations, cancelled: false, changedSincePlan: changed };
  const sent: SentOperation[] = [];
  for (const [index, operation] of operations.entries()) {
    if (options.signal?.aborted) return { sent, notSent: operations.slice(index), cancelled: true, changedSincePlan: [] };
    options.onProgress?.(index, operations.length, operation);
    try {
      // A 503 may come from a proxy after the Studio created the flow: a creation is retried only after a 429.
      const flow = await withPacedRetry(() => send(client, operation), {
        ...retryOptions,
        retryable: operation.kind === 'create' ? (error) => error.details.status === 429 : undefined,
      });
      const landed = { operation, flow };
      sent.push(landed);
      await options.onSent?.(landed);
    } catch (error) {
      const failure = asStudioError(error);
      // The answer was lost or not understood: the Studio may have done it all the same, and then it counts as sent.
      const landed = UNKNOWN_OUTCOME.has(failure.kind) ? await landedAfterAll(client, operation) : undefined;
      if (landed) {
        sent.push(landed);
        await options.onSent?.(landed);
        continue;
      }
      return { sent, failed: { operation, error: failure }, notSent: operations.slice(index + 1), cancelled: false, changedSincePlan: [] };
    }
  }
  return { sent, notSent: [], cancelled: false, changedSincePlan: [] };
}

/** Failures after which the request may have been applied: the answer was cut, late, refused by a proxy or garbled. */
const UNKNOWN_OUTCOME: ReadonlySet<string> = new Set(['network', 'timeout', 'malformed', 'server']);

/** What the Studio holds now says whether an operation whose answer was lost was applied. */
async function landedAfterAll(client: StudioClient, operation: DeployOperation): Promise<SentOperation | undefined> {
  let flows: Flow[];
  try {
    flows = await client.getFlows();
  } catch {
    return undefined;
  }
  const sameAsSent = (flow: Flow) =>
    operation.kind !== 'delete' &&
    flow.content === operation.flow.content &&
    (flow.commands ?? []).join('\n') === operation.flow.commands.join('\n');
  switch (operation.kind) {
    case 'delete':
      return flows.some((flow) => flow.id === operation.flowId) ? undefined : { operation };
    case 'update': {
      const flow = flows.find((candidate) => candidate.id === operation.flowId);
      return flow && sameAsSent(flow) ? { operation, flow } : undefined;
    }
    case 'create': {
      const flow = flows.find((candidate) => candidate.name === operation.name);
      return flow && sameAsSent(flow) ? { operation, flow } : undefined;
    }
  }
}

async function send(client: StudioClient, operation: DeployOperation): Promise<Flow | undefined> {
  switch (operation.kind) {
    case 'create':
      return client.createFlow(operation.flow);
    case 'update':
      return client.updateFlow(operation.flowId, operation.flow);
    case 'delete':
      await client.deleteFlow(operation.flowId);
      return undefined;
  }
}

/** The base once an operation landed: the flow is now what was sent (or gone). */
export function baseAfterSent(base: DeployedBase, botId: string | undefined, { operation, flow }: SentOperation): DeployedBase {
  const flows: Record<string, DeployedFlow> = Object.create(null) as Record<string, DeployedFlow>;
  for (const [name, known] of Object.entries(base.flows)) if (name !== operation.name) flows[name] = known;
  if (operation.kind !== 'delete') {
    const id = flow?.id ?? (operation.kind === 'update' ? operation.flowId : undefined);
    if (id !== undefined) {
      const { content, commands } = operation.flow;
      flows[operation.name] = { id, contentHash: contentHash(content), commandsHash: commandsHash(commands), updatedAt: flow?.updatedAt };
    }
  }
  return { botId: botId ?? base.botId, flows };
}

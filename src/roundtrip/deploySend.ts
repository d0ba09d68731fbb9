/**
 * Sending a deploy: one request per flow, in order, each recorded as it lands so that a deploy cut short tells
 * exactly what the Studio has and a second deploy sends only the rest.
 */
import type { FlowToSend, StudioClient } from '../studio/client';
import { asStudioError, StudioError } from '../studio/errors';
import { withPacedRetry } from '../studio/pacedRetry';
import type { Flow } from '../studio/schema';
import { contentHash, DeployedBase, DeployedFlow } from './downloadPlan';
import { changedSincePlan, DeployStep } from './deployPlan';

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
      creates.push({ kind: 'create', name, flow: { name, description: '', commands: [...commands], content } });
    } else if (step.kind === 'update' || step.kind === 'conflict') {
      // A conflict reaches here only once the user chose to overwrite; the Studio's description is kept.
      const { content, commands } = step.local;
      const flow = {
        content,
        commands: [...commands],
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
  const paced = <T>(request: () => Promise<T>) =>
    withPacedRetry(request, { onWait: options.onWait, sleep: options.sleep, signal: options.signal });
  const now = await paced(() => client.getFlows(options.signal));
  // Only the flows this deploy touches: a colleague's edit elsewhere is theirs to keep.
  const touched = new Set(operations.map((operation) => operation.name));
  const changed = changedSincePlan(
    steps.filter((step) => touched.has(step.kind === 'create' ? step.local.name : step.deployed.name)),
    now,
  );
  if (changed.length > 0) return { sent: [], notSent: operations, cancelled: false, changedSincePlan: changed };
  const sent: SentOperation[] = [];
  for (const [index, operation] of operations.entries()) {
    if (options.signal?.aborted) return { sent, notSent: operations.slice(index), cancelled: true, changedSincePlan: [] };
    options.onProgress?.(index, operations.length, operation);
    try {
      const flow = await paced(() => send(client, operation));
      const landed = { operation, flow };
      sent.push(landed);
      await options.onSent?.(landed);
    } catch (error) {
      return {
        sent,
        failed: { operation, error: asStudioError(error) },
        notSent: operations.slice(index + 1),
        cancelled: false,
        changedSincePlan: [],
      };
    }
  }
  return { sent, notSent: [], cancelled: false, changedSincePlan: [] };
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
    if (id !== undefined) flows[operation.name] = { id, contentHash: contentHash(operation.flow.content), updatedAt: flow?.updatedAt };
  }
  return { botId: botId ?? base.botId, flows };
}

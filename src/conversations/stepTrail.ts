import { UserState } from './watchList';

export interface TrailEntry {
  readonly at: number;
  readonly flowId: string;
  readonly flowName?: string;
  readonly stepId: string;
}

export const MAX_TRAIL = 50;

/** The steps a user was seen at, newest first: a transition is kept when the flow or step changes. */
export class StepTrail {
  private readonly trails = new Map<string, TrailEntry[]>();

  /** Returns true when the state added an entry. */
  record(userId: string, state: UserState): boolean {
    if (state.kind !== 'open') return false;
    const trail = this.trails.get(userId) ?? [];
    const { flowId, stepId } = state.conversation;
    const last = trail[0];
    if (last && last.flowId === flowId && last.stepId === stepId) return false;
    trail.unshift({ at: state.at, flowId, flowName: state.flow?.name, stepId });
    if (trail.length > MAX_TRAIL) trail.length = MAX_TRAIL;
    this.trails.set(userId, trail);
    return true;
  }

  entries(userId: string): readonly TrailEntry[] {
    return this.trails.get(userId) ?? [];
  }

  clear(userId?: string): void {
    if (userId === undefined) this.trails.clear();
    else this.trails.delete(userId);
  }
}

import { scanStepLabels } from '../csml/stepScanner';
import { relativeTime } from './format';
import { WatchedUser } from './watchList';

/** Where one user stands in one flow file. */
export interface StepMarker {
  readonly userId: string;
  readonly pinned: boolean;
  readonly stepId: string;
  /** 0-based position of the step's label. */
  readonly line: number;
  readonly character: number;
  /** When the user last interacted, as the Studio said (ISO text), else when they were refreshed. */
  readonly since: string | number;
}

/** Whether a user's conversation is in the flow a file holds (by name, or a flow_id that is that name). */
export function isInFlow(user: WatchedUser, flowName: string): boolean {
  if (user.state.kind !== 'open') return false;
  const wanted = flowName.toLowerCase();
  const name = user.state.flow?.name ?? user.state.conversation.flowId;
  return name.toLowerCase() === wanted;
}

/** The markers to draw in a flow file's source: one per user whose current step is labelled there. */
export function stepMarkers(users: readonly WatchedUser[], flowName: string, source: string): StepMarker[] {
  const here = users.filter((user) => isInFlow(user, flowName));
  if (here.length === 0) return [];
  const labels = new Map<string, { line: number; character: number }>();
  for (const label of scanStepLabels(source)) if (!labels.has(label.name)) labels.set(label.name, label);
  const markers: StepMarker[] = [];
  for (const user of here) {
    if (user.state.kind !== 'open') continue;
    const label = labels.get(user.state.conversation.stepId);
    if (!label) continue;
    markers.push({
      userId: user.userId,
      pinned: user.pinned,
      stepId: user.state.conversation.stepId,
      line: label.line,
      character: label.character,
      since: user.state.conversation.lastInteractionAt ?? user.state.at,
    });
  }
  return markers;
}

/** `● alice is here · 12 s ago` */
export function markerTitle(marker: StepMarker, nowMs: number): string {
  const when =
    typeof marker.since === 'number' ? relativeTime(new Date(marker.since).toISOString(), nowMs) : relativeTime(marker.since, nowMs);
  return `● ${marker.userId} is here${when ? ` · ${when}` : ''}`;
}

/**
 * Whether the engine runs a step a flow brings in with `insert`, when a goto names it. The engine (csml-engine's
 * interpreter, `check_if_inserted_step` and `get_inserted_ast`) looks a goto's step up among the inserts of the
 * flow the goto is written in, not those of the flow it names, and then runs the step of that name in the flow it
 * comes from, not the name before `as`. So:
 * - `goto receipt` in a flow that inserts `receipt` runs it, as a step of that flow;
 * - `goto receipt@Billing` from another flow does not find the step Billing inserts: the conversation ends;
 * - `goto r` after `insert receipt as r` looks for `r` in the flow it comes from: the conversation ends.
 */
import type { BotModel, FlowEntry, InsertedStep } from './botModel';

export type InsertedRun =
  /** The engine runs it. */
  | { readonly kind: 'runs'; readonly inserted: InsertedStep }
  /** Named from another flow than the one that inserts it. */
  | { readonly kind: 'otherFlow'; readonly inserted: InsertedStep }
  /** Named by its alias, which the flow it comes from lacks. */
  | { readonly kind: 'alias'; readonly inserted: InsertedStep };

/**
 * How a goto written in `from` that names step `step` of `target` runs, when `target` lacks the step and inserts
 * one of that name; undefined when it inserts none.
 */
export function insertedRun(bot: BotModel, from: FlowEntry, target: FlowEntry, step: string): InsertedRun | undefined {
  const inserted = bot.stepsInsertedInto(target).find((candidate) => candidate.name === step);
  if (!inserted) return undefined;
  if (target !== from) {
    // The flow the goto is in answers first: a step of that name it inserts runs, in the flow named.
    const own = bot.stepsInsertedInto(from).find((candidate) => candidate.name === step && insertRuns(candidate));
    return own ? { kind: 'runs', inserted: own } : { kind: 'otherFlow', inserted };
  }
  if (inserted.sourceStep !== inserted.name && !inserted.source.steps.has(inserted.name)) return { kind: 'alias', inserted };
  return { kind: 'runs', inserted };
}

/** Whether the engine can ever run an inserted step: not under an alias its flow lacks. */
export function insertRuns(inserted: InsertedStep): boolean {
  return inserted.sourceStep === inserted.name || inserted.source.steps.has(inserted.name);
}

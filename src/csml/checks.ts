import type { BotModel, FlowEntry } from './botModel';
import { insertedRun } from './insertedRuns';
import type { Problem } from './problem';
import type { Span } from './tokens';

export type { Problem } from './problem';

/** Steps by flow: flow key → the names of its steps. */
export type StepsByFlow = Map<string, Set<string>>;

/**
 * The steps that something in the bot goes to: every `start`, and every step a static goto or an insert names.
 * Undefined when a goto is dynamic (`goto $x`): it may go anywhere, so no step can be called unreachable.
 */
export function reachedSteps(bot: BotModel): StepsByFlow | undefined {
  const reached: StepsByFlow = new Map();
  for (const flow of bot.all()) {
    if (hasDynamicGoto(flow)) return undefined;
    for (const [key, names] of stepsReachedFrom(bot, flow)) {
      const known = reached.get(key);
      if (known) for (const name of names) known.add(name);
      else reached.set(key, new Set(names));
    }
  }
  return reached;
}

/** Whether a flow has a goto whose step or flow is known only at run time. */
export function hasDynamicGoto(flow: FlowEntry): boolean {
  return flow.model.gotos.some((goto) => goto.step?.dynamic || goto.flow?.dynamic);
}

/** The steps that a flow's gotos and inserts name, by flow. */
export function stepsReachedFrom(bot: BotModel, flow: FlowEntry, occurrences = bot.occurrences(flow)): StepsByFlow {
  const reached: StepsByFlow = new Map();
  for (const occurrence of occurrences) {
    if (occurrence.declaration) continue;
    for (const symbol of occurrence.symbols) {
      if (symbol.kind !== 'step') continue;
      const names = reached.get(symbol.flow.key);
      if (names) names.add(symbol.name);
      else reached.set(symbol.flow.key, new Set([symbol.name]));
    }
  }
  return reached;
}

/**
 * The checks the CSML engine does not make: a goto to a step or flow the bot lacks (at run time the conversation
 * just ends there) and, when `reached` is given, steps that nothing goes to.
 */
export function checkFlow(bot: BotModel, flow: FlowEntry, reached?: StepsByFlow): Problem[] {
  const problems = missingTargets(bot, flow);
  const names = reached?.get(flow.key);
  if (reached) problems.push(...unreachableSteps(flow, (name) => names?.has(name) === true));
  return problems;
}

/** Gotos to a step or flow the bot lacks: the engine accepts them, and the conversation just ends there. */
export function missingTargets(bot: BotModel, flow: FlowEntry, occurrences = bot.occurrences(flow)): Problem[] {
  const problems: Problem[] = [];
  const resolved = new Set(occurrences.map((occurrence) => occurrence.span.start));
  for (const goto of flow.model.gotos) {
    if (goto.bot) continue; // another bot's flows are not in this one
    const flowPart = goto.flow;
    if (flowPart && !flowPart.dynamic && !resolved.has(flowPart.start)) {
      problems.push(
        missing(
          flowPart,
          'missing-flow',
          `No flow "${flowPart.text}" in this bot: the conversation would end here. Create ${flowPart.text}.csml, or correct the name.`,
        ),
      );
      continue;
    }
    const step = goto.step;
    if (!step || step.dynamic || step.text === 'end') continue;
    if (resolved.has(step.start)) {
      const target = flowPart ? bot.gotoFlows(flowPart.text)[0] : flow;
      const run = target && !target.steps.has(step.text) ? insertedRun(bot, flow, target, step.text) : undefined;
      if (run?.kind === 'otherFlow')
        problems.push({
          start: step.start,
          end: step.end,
          severity: 'warning',
          code: 'inserted-step-elsewhere',
          message: `The engine looks for inserted steps only among the inserts of the flow a goto is in, so step "${step.text}" of ${target?.name ?? ''} is not found from here and the conversation would end: go to a step ${target?.name ?? ''} declares, which then goes to it.`,
        });
      else if (run?.kind === 'alias')
        problems.push({
          start: step.start,
          end: step.end,
          severity: 'warning',
          code: 'inserted-step-alias',
          message: `The engine runs an inserted step by the name it has in ${run.inserted.source.name}, not by its alias, so "${step.text}" is not found and the conversation would end: insert ${run.inserted.sourceStep} without "as" and go to ${run.inserted.sourceStep}.`,
        });
      continue;
    }
    const where = flowPart ? `flow ${flowPart.text}` : 'this flow';
    problems.push(
      missing(
        step,
        'missing-step',
        `No step "${step.text}" in ${where}: the conversation would end here. Create the step, or correct the name.`,
      ),
    );
  }
  return problems;
}

/** Faded hints on the steps of a flow, `start` aside, that `isReached` (given a step's name) says nothing goes to. */
export function unreachableSteps(flow: FlowEntry, isReached: (name: string) => boolean): Problem[] {
  const problems: Problem[] = [];
  for (const step of flow.model.steps) {
    if (step.name.text === 'start' || isReached(step.name.text)) continue;
    problems.push({
      start: step.name.start,
      end: step.name.end,
      severity: 'hint',
      code: 'unreachable-step',
      unnecessary: true,
      message: `Nothing goes to step "${step.name.text}": no goto or insert in the bot names it. Add a goto to it, or remove it.`,
    });
  }
  return problems;
}

/** Whether a problem's goto ends the conversation where the bot means it to go on. */
export function endsConversation(code: string): boolean {
  return code === 'missing-step' || code === 'missing-flow' || code === 'inserted-step-elsewhere' || code === 'inserted-step-alias';
}

function missing(span: Span, code: 'missing-step' | 'missing-flow', message: string): Problem {
  return { start: span.start, end: span.end, severity: 'warning', code, message };
}

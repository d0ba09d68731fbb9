import type { BotModel, FlowEntry } from './botModel';
import type { Problem } from './problem';
import type { Span } from './tokens';

export type { Problem } from './problem';

/**
 * The steps that something in the bot goes to: every `start`, and every step a static goto or an insert names.
 * Undefined when a goto is dynamic (`goto $x`): it may go anywhere, so no step can be called unreachable.
 */
export function reachedSteps(bot: BotModel): ReadonlySet<string> | undefined {
  const reached = new Set<string>();
  for (const flow of bot.all()) {
    if (flow.model.gotos.some((goto) => goto.step?.dynamic || goto.flow?.dynamic)) return undefined;
    for (const occurrence of bot.occurrences(flow)) {
      if (occurrence.declaration) continue;
      for (const symbol of occurrence.symbols) if (symbol.kind === 'step') reached.add(stepKey(symbol.flow, symbol.name));
    }
  }
  return reached;
}

/**
 * The checks the CSML engine does not make: a goto to a step or flow the bot lacks (at run time the conversation
 * just ends there) and, when `reached` is given, steps that nothing goes to.
 */
export function checkFlow(bot: BotModel, flow: FlowEntry, reached?: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const resolved = new Set(bot.occurrences(flow).map((occurrence) => occurrence.span.start));
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
    if (!step || step.dynamic || step.text === 'end' || resolved.has(step.start)) continue;
    const where = flowPart ? `flow ${flowPart.text}` : 'this flow';
    problems.push(
      missing(
        step,
        'missing-step',
        `No step "${step.text}" in ${where}: the conversation would end here. Create the step, or correct the name.`,
      ),
    );
  }
  if (reached) {
    for (const step of flow.model.steps) {
      if (step.name.text === 'start' || reached.has(stepKey(flow, step.name.text))) continue;
      problems.push({
        start: step.name.start,
        end: step.name.end,
        severity: 'hint',
        code: 'unreachable-step',
        unnecessary: true,
        message: `Nothing goes to step "${step.name.text}": no goto or insert in the bot names it. Add a goto to it, or remove it.`,
      });
    }
  }
  return problems;
}

function missing(span: Span, code: 'missing-step' | 'missing-flow', message: string): Problem {
  return { start: span.start, end: span.end, severity: 'warning', code, message };
}

function stepKey(flow: FlowEntry, name: string): string {
  return `${flow.key}\n${name}`;
}

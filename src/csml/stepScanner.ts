import { parseFlow } from './flowParser';
import { LineIndex, positionOf } from './lineIndex';

/** A step's label, where the live marker and Open Flow File put it. */
export interface StepLabel {
  name: string;
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column of the first character of the name. */
  character: number;
}

/** Every step label of a CSML source, in source order, as the flow parser reads them. */
export function scanStepLabels(source: string): StepLabel[] {
  const steps = parseFlow(source).steps;
  if (steps.length === 0) return [];
  const lines = new LineIndex(source);
  return steps.map(({ name }) => ({ name: name.text, ...lines.position(name.start) }));
}

/** The first label named exactly `step` (step names are case-sensitive). */
export function findStepLabel(source: string, step: string): StepLabel | undefined {
  // Every label is its name followed by a colon, so a missing step needs no parse.
  if (step === '' || !source.includes(step + ':')) return undefined;
  const found = parseFlow(source).steps.find(({ name }) => name.text === step);
  return found && { name: step, ...positionOf(source, found.name.start) };
}

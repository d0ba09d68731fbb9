/**
 * The words the CSML engine gives meaning to where a statement starts, and its built-in components, with
 * what an editor shows beside each. The lists follow the engine's parser (its statement parsers) and its
 * component definitions.
 */

/** Where a statement may be written: in a step, in a function, or in both. */
export type StatementScope = 'step' | 'function' | 'both';

export interface StatementWord {
  readonly word: string;
  readonly description: string;
  readonly scope: StatementScope;
  /** Only meaningful inside the braces of an `if`, a `foreach` or a `while`. */
  readonly inBlockOnly?: boolean;
  readonly deprecated?: boolean;
}

export const STATEMENT_WORDS: readonly StatementWord[] = [
  { word: 'say', description: 'Sends a message or a component to the user.', scope: 'step' },
  { word: 'goto', description: 'Goes to a step, a flow, or `end`.', scope: 'step' },
  { word: 'hold', description: "Waits for the user's next message.", scope: 'step' },
  { word: 'hold_secure', description: "Waits for the user's next message, kept out of the conversation's history.", scope: 'step' },
  { word: 'remember', description: 'Stores a value in the memory of the conversation: `remember name = value`.', scope: 'step' },
  { word: 'forget', description: 'Removes memories: `forget name`, `forget [a, b]` or `forget *`.', scope: 'step' },
  { word: 'do', description: 'Runs an expression or sets a local variable: `do x = value`.', scope: 'both' },
  { word: 'if', description: 'Runs a block when a condition holds: `if (condition) { … }`.', scope: 'both' },
  { word: 'foreach', description: 'Runs a block for each item of an array: `foreach (item, index) in array { … }`.', scope: 'both' },
  { word: 'while', description: 'Runs a block as long as a condition holds: `while (condition) { … }`.', scope: 'both' },
  { word: 'break', description: 'Leaves the loop it is in.', scope: 'step', inBlockOnly: true },
  { word: 'continue', description: 'Goes on with the next turn of the loop it is in.', scope: 'both', inBlockOnly: true },
  { word: 'return', description: 'Ends the function with a value.', scope: 'function' },
  { word: 'previous', description: 'Goes back to the previous step or flow: `previous step`, `previous flow`.', scope: 'step' },
  { word: 'debug', description: 'Shows a value in the conversation, for debugging.', scope: 'both' },
  { word: 'log', description: 'Writes a value to the logs, with an optional level: `log warn value`.', scope: 'both' },
  { word: 'use', description: 'Deprecated: write `do` or `remember` instead.', scope: 'step', deprecated: true },
];

/** `else`, offered right after the closing brace of an `if` block. */
export const ELSE_WORD: StatementWord = { word: 'else', description: 'Runs a block when the `if` before it did not.', scope: 'both' };

/** What may start a top-level item of a flow, besides a step label. */
export const TOP_LEVEL_WORDS: readonly { readonly word: string; readonly description: string }[] = [
  { word: 'import', description: 'Uses functions of other flows: `import {f, g as h} from Flow`.' },
  { word: 'insert', description: 'Uses steps of another flow as steps of this one: `insert {s, t as u} from Flow`.' },
  { word: 'const', description: 'A constant of this flow: `const NAME = value`.' },
  { word: 'fn', description: 'A function of this flow: `fn name(a, b):` followed by its body.' },
];

export interface ComponentWord {
  readonly name: string;
  /** Its parameters, in order; `?` marks an optional one. */
  readonly parameters: readonly string[];
}

export const COMPONENTS: readonly ComponentWord[] = [
  { name: 'Text', parameters: ['text'] },
  { name: 'Question', parameters: ['title?', 'buttons'] },
  { name: 'Button', parameters: ['title', 'payload?', 'accepts?'] },
  { name: 'Card', parameters: ['title', 'buttons?'] },
  { name: 'Carousel', parameters: ['cards'] },
  { name: 'Image', parameters: ['url'] },
  { name: 'Video', parameters: ['url'] },
  { name: 'Audio', parameters: ['url'] },
  { name: 'File', parameters: ['url'] },
  { name: 'Url', parameters: ['url', 'text?', 'title?'] },
  { name: 'Typing', parameters: ['duration'] },
  { name: 'Wait', parameters: ['duration'] },
];

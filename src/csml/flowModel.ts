import type { Span, SpanList } from './tokens';

/** A name as written in the source, and where (UTF-16 offsets, end exclusive). */
export interface Name extends Span {
  readonly text: string;
}

/** A step: `name:` and the statements under it. */
/** Its span runs from the label to the end of the step's last token. */
export interface StepDeclaration extends Span {
  readonly name: Name;
}

/** `fn name(params):` or `fn name(params) { … }`. */
/** Its span runs from `fn` to the end of the body's last token. */
export interface FunctionDeclaration extends Span {
  readonly name: Name;
  readonly parameters: readonly Name[];
}

/** `const NAME = value`. */
export interface ConstantDeclaration extends Span {
  readonly name: Name;
}

/** One name brought in by an import or an insert, with its `as` alias. */
export interface ImportedName {
  readonly name: Name;
  readonly alias?: Name;
}

/** Where an import or an insert takes its names from. */
export type Source =
  /** `from F`: a flow of this bot, matched by its exact name. */
  | { readonly kind: 'flow'; readonly name: Name }
  /** `from modules/M`: a module, outside the bot. */
  | { readonly kind: 'module'; readonly name: Name };

/** `import f [as g] [from F]` or `import {f, g as h} from F`: functions of other flows. */
export interface ImportDeclaration extends Span {
  readonly names: readonly ImportedName[];
  /** Undefined without `from`: the engine then looks through the whole bot. */
  readonly from?: Source;
}

/** `insert s [as a] from F` or `insert {s, t as u} from F`: steps of another flow, usable here. */
export interface InsertDeclaration extends Span {
  readonly names: readonly ImportedName[];
  /** Required by the engine; undefined only while it is being typed. */
  readonly from?: Source;
}

/** A goto's step, flow or bot: a literal name, or `$expression`, known only at run time. */
export interface GotoTarget extends Span {
  readonly text: string;
  readonly dynamic: boolean;
}

/**
 * `goto s`, `goto step s`, `goto flow F`, `goto s@F`, `goto @F`, `goto s@`, `goto @`, `goto end`, `goto $x`,
 * `goto $s@$f`, and any of the `s@F` forms followed by `in BOT`, another bot.
 */
/** Its span runs from `goto` to the end of its last part. */
export interface Goto extends Span {
  readonly step?: GotoTarget;
  readonly flow?: GotoTarget;
  readonly bot?: GotoTarget;
  /** `goto flow F`, or a form with `@`: the flow part was written, even if empty (`goto s@`). */
  readonly namesFlow: boolean;
}

/** Everything an editor needs to know of one flow's source. */
export interface FlowModel {
  readonly steps: readonly StepDeclaration[];
  readonly functions: readonly FunctionDeclaration[];
  readonly constants: readonly ConstantDeclaration[];
  readonly imports: readonly ImportDeclaration[];
  readonly inserts: readonly InsertDeclaration[];
  readonly gotos: readonly Goto[];
  /** The names of calls, `name(…)`: a function of this flow, an imported one, or a built-in. */
  readonly calls: readonly Name[];
  readonly strings: SpanList;
  readonly comments: SpanList;
  /** Bracketed code, `{ … }`, `( … )` and `[ … ]`, from the opening to the closing bracket. */
  readonly blocks: SpanList;
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

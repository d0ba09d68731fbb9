import { EngineMessage } from './engineMessages';

/**
 * A constant's value as far as the CSML engine cares when it reads a flow: it turns every `const` into a
 * literal right away, and refuses values that need the conversation (names, calls, `{{ }}`, `as`, `match`).
 */
export const enum NodeKind {
  /** A number, `true`, `false`, `null`, a closure, a negation, a `\"…\"` string: always accepted. */
  Valid,
  /** A name, a call, a path or an `as`: refused at `at`. */
  Invalid,
  Text,
  Map,
  List,
  Infix,
}

export type ConstantNode =
  | { readonly kind: NodeKind.Valid | NodeKind.Invalid; readonly at: number }
  /** A `"…"` string: accepted when it is a single piece of plain text. */
  | { readonly kind: NodeKind.Text; readonly at: number; readonly parts: number; readonly textOnly: boolean }
  | { readonly kind: NodeKind.Map; readonly at: number; readonly entries: readonly (readonly [string, ConstantNode | undefined])[] }
  | { readonly kind: NodeKind.List; readonly at: number; readonly elements: readonly ConstantNode[] }
  | {
      readonly kind: NodeKind.Infix;
      readonly at: number;
      readonly left: ConstantNode;
      readonly right: ConstantNode;
      readonly isMatch: boolean;
    };

export interface ConstantError {
  readonly at: number;
  readonly message: EngineMessage;
}

/**
 * The first error the engine finds in a constant's value, or undefined. Arithmetic the engine might refuse
 * (`"a" - 1`) is accepted here: only what is refused whatever the values is reported.
 */
export function constantError(node: ConstantNode | undefined, depth = 0): ConstantError | undefined {
  if (node === undefined || depth > 200) return undefined;
  switch (node.kind) {
    case NodeKind.Valid:
      return undefined;
    case NodeKind.Invalid:
      return { at: node.at, message: EngineMessage.InvalidConstant };
    case NodeKind.Text:
      return node.parts === 1 && node.textOnly ? undefined : { at: node.at, message: EngineMessage.InvalidConstant };
    case NodeKind.Map: {
      // A key written twice keeps its last value: the engine never looks at the others.
      const kept = new Map<string, ConstantNode | undefined>();
      for (const [key, value] of node.entries) {
        kept.delete(key);
        kept.set(key, value);
      }
      for (const value of kept.values()) {
        const error = constantError(value, depth + 1);
        if (error !== undefined) return error;
      }
      return undefined;
    }
    case NodeKind.List:
      for (const element of node.elements) {
        const error = constantError(element, depth + 1);
        if (error !== undefined) return error;
      }
      return undefined;
    case NodeKind.Infix: {
      const error = constantError(node.left, depth + 1) ?? constantError(node.right, depth + 1);
      if (error !== undefined) return error;
      return node.isMatch ? { at: node.at, message: EngineMessage.ConstantMatch } : undefined;
    }
  }
}

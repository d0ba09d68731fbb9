/**
 * The CSML engine's parse error messages, as it words them, and what the editor says instead: the engine's
 * meaning in one sentence, then what to do.
 */
export const enum EngineMessage {
  None = '',
  Parsing = 'Invalid argument. One of the action keywords [say, do, if, ...] is missing',
  ActionArgument = 'expecting valid argument after action keywords. Example: say value',
  Remember = "'remember' must be assigning to a variable via '='. Example: 'remember key = value'",
  Use = "'use' must be assigning a variable with keyword 'as'. Example: 'use value as key'",
  Return = 'return expects a value to return',
  ImportArgument = "'import' expecting valid function name. Example: 'import function from flow'",
  InsertArgument = "'insert' expecting valid step name. Example: 'insert step from flow'",
  Reserved = "reserved keyword can't be used as identifier",
  NumberAsName = "Int/Float can't be used as identifier",
  NameTooLong = "key can't be longer than 255 character",
  Parentheses = 'list elem type ( ... ) not found',
  ParenthesesEnd = "Invalid argument. Expecting one ',' between each argument or ')' to end the list",
  RightBrace = "expecting '}'",
  RightBracket = "expecting ']'",
  GotoStep = 'missing step name after goto',
  DoubleQuote = "expecting '\"' to end string",
  DoubleCloseBrace = "expecting '}}' to end expandable string",
  ExpandableArgument = 'wrong argument(s) given to expandable string',
  FunctionColon = "Expecting ':' at the end of function prototype. Example: 'fn name():' ",
  ObjectKey = "string must start with '\"' ",
  InvalidConstant = 'Constant invalid expression type: constants can not be assign this type of expression',
  ConstantMatch = 'invalid operation in constant declaration',
}

/**
 * What the parser expected where it failed without a message of its own (the engine then prints only the
 * position), so the editor can still say something useful.
 */
export const enum Expected {
  Unknown = 'Unknown',
  ObjectColon = 'ObjectColon',
  AsName = 'AsName',
  ForeachOpen = 'ForeachOpen',
  ForeachName = 'ForeachName',
  ForeachClose = 'ForeachClose',
  ForeachIn = 'ForeachIn',
  ForeachValue = 'ForeachValue',
  WhileOpen = 'WhileOpen',
  WhileCondition = 'WhileCondition',
  WhileClose = 'WhileClose',
  InsertFrom = 'InsertFrom',
}

export interface Wording {
  readonly code: string;
  readonly message: string;
}

const BY_MESSAGE: Record<string, Wording> = {
  [EngineMessage.Parsing]: {
    code: 'syntax',
    message:
      'The CSML engine cannot read this as a statement or a step label: start the line with a keyword (say, do, if, goto, …) or write a label as `name:`.',
  },
  [EngineMessage.ActionArgument]: {
    code: 'syntax',
    message: 'The CSML engine expects a valid value after this keyword (for example `say "Hello"`): complete or correct the expression.',
  },
  [EngineMessage.Remember]: {
    code: 'syntax',
    message: '`remember` must assign a name: write `remember key = value` (or `remember value as key`).',
  },
  [EngineMessage.Use]: {
    code: 'syntax',
    message: '`use` must give the value a name with `as`: write `use value as key`.',
  },
  [EngineMessage.Return]: {
    code: 'syntax',
    message: '`return` expects a value: write the value to return after it.',
  },
  [EngineMessage.ImportArgument]: {
    code: 'syntax',
    message: '`import` expects a function name (or `{f, g}`): write `import name from Flow`.',
  },
  [EngineMessage.InsertArgument]: {
    code: 'syntax',
    message: '`insert` expects a step name (or `{a, b}`): write `insert step from Flow`.',
  },
  [EngineMessage.Reserved]: {
    code: 'reserved-name',
    message: 'This is a reserved word of CSML and cannot be used as a name here: choose another name.',
  },
  [EngineMessage.NumberAsName]: {
    code: 'number-as-name',
    message: 'A number cannot be used as a name: choose a name that is not a number.',
  },
  [EngineMessage.NameTooLong]: {
    code: 'name-too-long',
    message: 'This name is longer than the 255 bytes the CSML engine allows: shorten it.',
  },
  [EngineMessage.Parentheses]: {
    code: 'syntax',
    message: 'The CSML engine expects `(` here, as in `if (condition)`: add the parenthesised condition.',
  },
  [EngineMessage.ParenthesesEnd]: {
    code: 'syntax',
    message: 'The CSML engine expects `,` between arguments or `)` to end the list here: add the missing `)` or `,`.',
  },
  [EngineMessage.RightBrace]: {
    code: 'syntax',
    message: 'A block is not closed: the CSML engine expects `}` here; add it, or correct the statement that stops the block.',
  },
  [EngineMessage.RightBracket]: {
    code: 'syntax',
    message: 'A list is not closed: the CSML engine expects `]` here; add it, or put `,` between the elements.',
  },
  [EngineMessage.GotoStep]: {
    code: 'syntax',
    message: '`goto` needs a step or flow name (`goto step`, `goto flow Name`, `goto step@Flow`): add the target.',
  },
  [EngineMessage.DoubleQuote]: {
    code: 'syntax',
    message: 'A string is not closed: add the missing `"`.',
  },
  [EngineMessage.DoubleCloseBrace]: {
    code: 'syntax',
    message:
      'A `{{` or `}}` in this string has no partner: close each `{{ expression }}`, or write `\\{{` / `\\}}` for the braces themselves.',
  },
  [EngineMessage.ExpandableArgument]: {
    code: 'syntax',
    message:
      'The CSML engine cannot read the expression inside `{{ }}` in this string: write a single expression, with strings inside it as `\\"text\\"`.',
  },
  [EngineMessage.FunctionColon]: {
    code: 'syntax',
    message: 'A function needs `:` (or a `{ }` block) after its parameters: write `fn name(args):`.',
  },
  [EngineMessage.ObjectKey]: {
    code: 'syntax',
    message: 'An object key must be a non-empty quoted string: write `{"key": value}`.',
  },
  [EngineMessage.InvalidConstant]: {
    code: 'constant-value',
    message:
      'A constant can only hold a literal value (number, text without `{{ }}`, true/false/null, object or array of them): move this value to a variable.',
  },
  [EngineMessage.ConstantMatch]: {
    code: 'constant-value',
    message: '`match` cannot be used in a constant: compute it in a step instead.',
  },
};

const BY_EXPECTED: Record<Expected, string> = {
  [Expected.Unknown]: 'The CSML engine cannot parse this: check the syntax here.',
  [Expected.ObjectColon]: 'The CSML engine expects `:` after an object key: write `{"key": value}`.',
  [Expected.AsName]: 'The CSML engine expects a name after `as`: write `value as name`.',
  [Expected.ForeachOpen]: 'The CSML engine expects `(` after `foreach`: write `foreach (item) in list { … }`.',
  [Expected.ForeachName]: 'The CSML engine expects a variable name in `foreach ( )`: write `foreach (item) in list { … }`.',
  [Expected.ForeachClose]: 'The CSML engine expects `)` here: write `foreach (item, index) in list { … }`.',
  [Expected.ForeachIn]: 'The CSML engine expects `in` after `foreach (…)`: write `foreach (item) in list { … }`.',
  [Expected.ForeachValue]: 'The CSML engine expects what to iterate over after `in`: write `foreach (item) in list { … }`.',
  [Expected.WhileOpen]: 'The CSML engine expects `(` after `while`: write `while (condition) { … }`.',
  [Expected.WhileCondition]: 'The CSML engine expects a condition in `while ( )`: write `while (condition) { … }`.',
  [Expected.WhileClose]: 'The CSML engine expects `)` after the condition: write `while (condition) { … }`.',
  [Expected.InsertFrom]: 'The CSML engine expects `from` and a flow name here: write `insert step from Flow`.',
};

/** The editor's code and sentence for an engine error, from its message or, when it has none, what was expected. */
export function wordingOf(message: EngineMessage, expected: Expected): Wording {
  return BY_MESSAGE[message] ?? { code: 'syntax', message: BY_EXPECTED[expected] };
}

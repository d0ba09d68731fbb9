// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the VS Code layer is: only it (and the entry point that wires it) may know VS Code. */
const vscodeLayer = {
  paths: [
    { name: 'vscode', message: 'Only src/ui and src/extension.ts know VS Code: pass what this code needs through a small interface.' },
  ],
  patterns: [{ group: ['**/ui', '**/ui/**'], message: 'Only src/ui and src/extension.ts may import the VS Code layer.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-results/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Bundled, `import * as vscode` makes each module copy the API's ~350 properties at load; names do not.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='vscode'] > ImportNamespaceSpecifier",
          message: "Import what you use from 'vscode' by name (import { window } from 'vscode').",
        },
      ],
    },
  },
  {
    // Fakes stand in for asynchronous APIs (SecretStorage, Memento, fetch) and answer at once.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // A webview page sets text, never markup: whatever the bot says stays text.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Set textContent: nothing from the bot is parsed as HTML.' },
        { property: 'outerHTML', message: 'Set textContent: nothing from the bot is parsed as HTML.' },
        { property: 'insertAdjacentHTML', message: 'Build elements and set textContent.' },
        { object: 'document', property: 'write', message: 'Build elements and set textContent.' },
      ],
    },
  },
  {
    // Every folder of src/ but the VS Code layer, including folders added later.
    files: ['src/**/*.ts'],
    ignores: ['src/ui/**', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', vscodeLayer] },
  },
);

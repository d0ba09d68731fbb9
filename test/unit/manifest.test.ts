import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from '../../src/ui/commandIds';
import { ContextKey } from '../../src/ui/contextKeys';
import { Setting, SETTINGS_SECTION } from '../../src/ui/settingKeys';
import { CONVERSATIONS_VIEW_ID, TEST_CHAT_VIEW_ID } from '../../src/ui/viewIds';

interface Manifest {
  main: string;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { markdownDescription?: string }> };
    views: Record<string, { id: string; type?: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const { contributes } = manifest;
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Every `when` clause of the manifest. */
function whenClauses(): string[] {
  const menus = Object.values(contributes.menus).flat();
  return [...menus, ...contributes.viewsWelcome].map((entry) => entry.when ?? '');
}

describe('the manifest and the code name the same things', () => {
  it('contributes exactly the commands the extension registers', () => {
    assert.deepEqual(sorted(contributes.commands.map((c) => c.command)), sorted(Object.values(Command)));
  });

  it('gives every command the CSML category and a Title Case title', () => {
    for (const { command, title, category } of contributes.commands) {
      assert.equal(category, 'CSML', command);
      const words = title.replace(/…$/, '').split(' ');
      const minor = new Set(['a', 'an', 'and', 'as', 'at', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
      for (const [i, word] of words.entries()) {
        if (i > 0 && minor.has(word)) continue;
        assert.match(word, /^[A-Z.]/, `"${title}" (${command}): "${word}" is not capitalised`);
      }
    }
  });

  it('refers only to commands it contributes, in menus and welcome views', () => {
    const known = new Set<string>(Object.values(Command));
    for (const [menu, entries] of Object.entries(contributes.menus)) {
      for (const { command } of entries) assert.ok(known.has(command), `${menu} names ${command}`);
    }
    for (const { contents } of contributes.viewsWelcome) {
      for (const [, command] of contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(known.has(command), `a welcome view runs ${command}`);
    }
  });

  it('reads in its when clauses exactly the context keys the extension sets, and only its own settings', () => {
    const clauses = whenClauses();
    const contextKeys = clauses.flatMap((when) => [...when.matchAll(/(?<!config\.)\bcsml\.[A-Za-z]+/g)].map((match) => match[0]));
    assert.deepEqual(
      sorted(contextKeys.filter((key) => key !== CONVERSATIONS_VIEW_ID && key !== TEST_CHAT_VIEW_ID)),
      sorted(Object.values(ContextKey)),
    );
    const settingsRead = clauses.flatMap((when) => [...when.matchAll(/\bconfig\.csml\.([A-Za-z]+)/g)].map((match) => match[1]));
    for (const setting of settingsRead) assert.ok((Object.values(Setting) as string[]).includes(setting), `config.csml.${setting}`);
  });

  it('declares exactly the settings the extension reads, each with a markdownDescription', () => {
    const declared = Object.keys(contributes.configuration.properties);
    const code = Object.values(Setting).map((key) => `${SETTINGS_SECTION}.${key}`);
    assert.deepEqual(sorted(declared), sorted(code));
    for (const [key, property] of Object.entries(contributes.configuration.properties)) assert.ok(property.markdownDescription, key);
  });

  it('contributes the Conversations and Test Chat views and runs the bundle itself', () => {
    const views = Object.values(contributes.views).flat();
    assert.ok(views.some((view) => view.id === CONVERSATIONS_VIEW_ID));
    assert.ok(views.some((view) => view.id === TEST_CHAT_VIEW_ID && view.type === 'webview'));
    assert.equal(manifest.main, './dist/extension.js');
  });
});

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contentHash, DownloadPlan, planDownload, PlannedFile } from '../../src/roundtrip/downloadPlan';
import type { Bot, Flow } from '../../src/studio/schema';

const DEFAULT: Flow = {
  id: '31c2c4b0-05d6-44ce-9442-e87e9ae7e8a2',
  name: 'Default',
  content: 'start:\n  say "hello!"\n  goto end',
  commands: ['/default', '/start'],
  updatedAt: '2024-01-02T03:04:05.000Z',
};
const LEGACY: Flow = { id: 'a1', name: 'Billing.Legacy', content: 'start:\r\n  goto end\r\n', commands: [] };
const BOT: Bot = { id: 'bot-1', name: 'Pizza Helper', description: 'Orders pizza', defaultFlow: DEFAULT.id };

function file(files: readonly PlannedFile[], path: string): PlannedFile {
  const found = files.find((f) => f.path === path);
  assert.ok(found, `no ${path} among ${files.map((f) => f.path).join(', ')}`);
  return found;
}

function botJson(plan: DownloadPlan): Record<string, unknown> {
  return JSON.parse(file(plan.files, 'bot.json').content) as Record<string, unknown>;
}

describe('planDownload', () => {
  it('plans bot.json and each flow’s source and commands, in the Studio CLI layout', () => {
    const plan = planDownload(BOT, [DEFAULT, LEGACY]);
    assert.deepEqual(plan.refused, []);
    assert.deepEqual(plan.files, [
      {
        path: 'bot.json',
        content: '{\n  "name": "Pizza Helper",\n  "description": "Orders pizza",\n  "default_flow": "Default"\n}\n',
      },
      { path: 'flows/Default.csml', content: DEFAULT.content, flow: 'Default' },
      { path: 'flows/Default.cmds.csml', content: '/default\n/start\n', flow: 'Default' },
      { path: 'flows/Billing.Legacy.csml', content: 'start:\r\n  goto end\r\n', flow: 'Billing.Legacy' },
      { path: 'flows/Billing.Legacy.cmds.csml', content: '', flow: 'Billing.Legacy' },
    ]);
  });

  it('writes a flow’s content exactly as the Studio sent it', () => {
    const content = '\uFEFFstart:\n\tsay "ünï 😀"  \n\n\n';
    const plan = planDownload(BOT, [{ ...DEFAULT, content }]);
    assert.equal(file(plan.files, 'flows/Default.csml').content, content);
  });

  it('writes an empty commands file for a flow without commands', () => {
    const plan = planDownload(BOT, [{ id: 'x', name: 'X', content: 'start: goto end' }]);
    assert.equal(file(plan.files, 'flows/X.cmds.csml').content, '');
  });

  it('names the default flow by its name: by id in any case, else by name, else not at all', () => {
    const flows = [DEFAULT, LEGACY];
    assert.deepEqual(botJson(planDownload({ ...BOT, defaultFlow: DEFAULT.id.toUpperCase() }, flows)), {
      name: 'Pizza Helper',
      description: 'Orders pizza',
      default_flow: 'Default',
    });
    assert.equal(botJson(planDownload({ ...BOT, defaultFlow: 'billing.legacy' }, flows)).default_flow, 'Billing.Legacy');
    assert.equal(botJson(planDownload({ ...BOT, defaultFlow: 'A1' }, flows)).default_flow, 'Billing.Legacy');
    for (const defaultFlow of ['no-such-flow', undefined]) {
      const json = botJson(planDownload({ ...BOT, defaultFlow }, flows));
      assert.deepEqual(json, { name: 'Pizza Helper', description: 'Orders pizza' });
    }
  });

  it('prefers a flow whose id matches over one whose name does', () => {
    const named = { id: 'other', name: 'a1', content: '' };
    assert.equal(botJson(planDownload({ ...BOT, defaultFlow: 'a1' }, [named, LEGACY])).default_flow, 'Billing.Legacy');
  });

  it('writes an empty description when the Studio sent none, and pretty-prints with a final newline', () => {
    const plan = planDownload({ name: 'Bare' }, []);
    assert.deepEqual(plan.files, [{ path: 'bot.json', content: '{\n  "name": "Bare",\n  "description": ""\n}\n' }]);
    assert.equal(plan.base.botId, undefined);
    assert.deepEqual(Object.keys(plan.base.flows), []);
  });

  it('escapes whatever the names and description hold, so bot.json stays one valid object', () => {
    const bot: Bot = { name: 'a"b\n}', description: '\u0000\u2028', defaultFlow: 'f' };
    const json = botJson(planDownload(bot, [{ id: 'f', name: 'x"y', content: '' }]));
    assert.deepEqual(json, { name: 'a"b\n}', description: '\u0000\u2028', default_flow: 'x"y' });
  });

  it('refuses a flow the Studio sent without content, and no file is planned for it', () => {
    const plan = planDownload(BOT, [DEFAULT, { id: 'e', name: 'Empty' }, { id: 'z', name: 'Zero', content: '' }]);
    assert.deepEqual(plan.refused, [{ name: 'Empty', reason: 'the Studio sent no content for it' }]);
    assert.ok(!plan.files.some((f) => f.flow === 'Empty'));
    assert.equal(file(plan.files, 'flows/Zero.csml').content, '');
    assert.ok(!('Empty' in plan.base.flows));
  });

  it('passes on the names refused, in the Studio’s order, and plans no file for them', () => {
    const hostile = ['../evil', 'a/b', 'x\u0000y', 'CON', 'Billing', 'billing'];
    const flows: Flow[] = [...hostile, 'Kept'].map((name, i) => ({ id: `id${i}`, name, content: 'start: goto end' }));
    const plan = planDownload(BOT, [flows[0], { id: 'e', name: 'Empty' }, ...flows.slice(1)]);
    assert.deepEqual(
      plan.refused.map((r) => r.name),
      ['../evil', 'Empty', 'a/b', 'x\u0000y', 'CON', 'Billing', 'billing'],
    );
    assert.deepEqual(
      plan.files.map((f) => f.path),
      ['bot.json', 'flows/Kept.csml', 'flows/Kept.cmds.csml'],
    );
    assert.deepEqual(Object.keys(plan.base.flows), ['Kept']);
  });

  it('records what was deployed: the bot id, and for each flow written its id, content hash and date', () => {
    const plan = planDownload(BOT, [DEFAULT, LEGACY, { id: 'e', name: 'Empty' }, { id: 'bad', name: 'a/b', content: 'x' }]);
    assert.equal(plan.base.botId, 'bot-1');
    assert.deepEqual(Object.keys(plan.base.flows), ['Default', 'Billing.Legacy']);
    assert.deepEqual(plan.base.flows.Default, {
      id: DEFAULT.id,
      contentHash: createHash('sha256')
        .update(Buffer.from(DEFAULT.content ?? '', 'utf8'))
        .digest('hex'),
      commandsHash: createHash('sha256').update('/default\n/start', 'utf8').digest('hex'),
      updatedAt: '2024-01-02T03:04:05.000Z',
    });
    assert.equal(plan.base.flows['Billing.Legacy'].id, 'a1');
    assert.equal(plan.base.flows['Billing.Legacy'].updatedAt, undefined);
  });

  it('hashes the UTF-8 bytes of the text, in lowercase hex', () => {
    assert.equal(contentHash(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(contentHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      contentHash('é'),
      createHash('sha256')
        .update(Buffer.from([0xc3, 0xa9]))
        .digest('hex'),
    );
    assert.notEqual(contentHash('a\r\n'), contentHash('a\n'));
  });

  it('handles flows named __proto__ and constructor as any other', () => {
    const flows: Flow[] = [
      { id: 'p', name: '__proto__', content: 'start: say "p"', commands: ['/p'] },
      { id: 'c', name: 'constructor', content: 'start: say "c"' },
      { id: 't', name: 'toString', content: 'start: say "t"' },
    ];
    const plan = planDownload({ ...BOT, defaultFlow: 'p' }, flows);
    assert.deepEqual(plan.refused, []);
    assert.equal(file(plan.files, 'flows/__proto__.csml').content, 'start: say "p"');
    assert.equal(file(plan.files, 'flows/__proto__.cmds.csml').content, '/p\n');
    assert.equal(file(plan.files, 'flows/constructor.csml').content, 'start: say "c"');
    assert.deepEqual(Object.keys(plan.base.flows), ['__proto__', 'constructor', 'toString']);
    assert.equal(Object.getPrototypeOf(plan.base.flows), null);
    assert.equal(plan.base.flows.__proto__.id, 'p');
    // Read by a name held in a string, as the UI will: `.constructor` would mean Object's to the compiler.
    for (const [name, id] of [
      ['constructor', 'c'],
      ['toString', 't'],
    ])
      assert.equal(plan.base.flows[name].id, id);
    assert.equal(botJson(plan).default_flow, '__proto__');
    // The base survives a round trip through JSON, as it would through a workspace's stored state.
    const stored = JSON.parse(JSON.stringify(plan.base)) as { flows: Record<string, { id: string }> };
    assert.ok(Object.hasOwn(stored.flows, '__proto__'));
    assert.equal(({} as Record<string, unknown>).id, undefined);
  });
});

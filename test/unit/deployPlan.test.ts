import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { botAfterDeploy, deployProblems } from '../../src/roundtrip/deployChecks';
import { lockDeploy } from '../../src/roundtrip/deployLock';
import { changedSincePlan, planDeploy, stepName } from '../../src/roundtrip/deployPlan';
import { baseAfterSent, operationsFor } from '../../src/roundtrip/deploySend';
import { commandsHash, contentHash, DeployedBase } from '../../src/roundtrip/downloadPlan';
import type { Flow } from '../../src/studio/schema';

const deployed = (name: string, content: string, extra: Partial<Flow> = {}): Flow => ({
  id: `id-${name}`,
  name,
  content,
  commands: [],
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});
const local = (name: string, content: string, commands: string[] = []) => ({ name, content, commands });
const baseOf = (...flows: Array<[string, string]>): DeployedBase => ({
  botId: 'bot-1',
  flows: Object.fromEntries(flows.map(([name, content]) => [name, { id: `id-${name}`, contentHash: contentHash(content) }])),
});

describe('Deploy plans', () => {
  it('sends what changed here only, skips what is the same, adds what is new, lists what is only deployed', () => {
    const steps = planDeploy(
      [local('Edited', 'new text'), local('Same', 'same\r\n'), local('Fresh', 'start:\n  goto end')],
      [deployed('Edited', 'old text'), deployed('Same', 'same\n'), deployed('Remote', 'x')],
      baseOf(['Edited', 'old text'], ['Same', 'same\n']),
    );
    assert.deepEqual(
      steps.map((step) => [step.kind, stepName(step)]),
      [
        ['update', 'Edited'],
        ['unchanged', 'Same'],
        ['remoteOnly', 'Remote'],
        ['create', 'Fresh'],
      ],
    );
  });

  it("calls a colleague's change, and a flow with no base, a conflict", () => {
    const steps = planDeploy(
      [local('Theirs', 'mine'), local('Unknown', 'mine')],
      [deployed('Theirs', 'changed by a colleague'), deployed('Unknown', 'whatever')],
      baseOf(['Theirs', 'what I downloaded']),
    );
    assert.deepEqual(
      steps.map((step) => (step.kind === 'conflict' ? [step.deployed.name, step.why] : step.kind)),
      [
        ['Theirs', 'changedInStudio'],
        ['Unknown', 'noBase'],
      ],
    );
  });

  it('tells a flow changed only in the Studio from one changed on both sides', () => {
    const [ahead] = planDeploy(
      [local('Main', 'as downloaded')],
      [deployed('Main', 'newer in the Studio')],
      baseOf(['Main', 'as downloaded']),
    );
    assert.equal(ahead.kind === 'conflict' && ahead.why, 'studioAhead');
    const [both] = planDeploy([local('Main', 'mine')], [deployed('Main', 'newer in the Studio')], baseOf(['Main', 'as downloaded']));
    assert.equal(both.kind === 'conflict' && both.why, 'changedInStudio');
  });

  it('sees a flow deleted and made again under the same name as changed', () => {
    const [step] = planDeploy([local('Main', 'mine')], [deployed('Main', 'base', { id: 'another-id' })], baseOf(['Main', 'base']));
    assert.equal(step.kind, 'conflict');
  });

  it("calls a colleague's change of commands alone a conflict", () => {
    const base: DeployedBase = {
      botId: 'bot-1',
      flows: { Main: { id: 'id-Main', contentHash: contentHash('same'), commandsHash: commandsHash(['/old']) } },
    };
    const [step] = planDeploy([local('Main', 'same', ['/old'])], [deployed('Main', 'same', { commands: ['/new'] })], base);
    assert.equal(step.kind, 'conflict');
  });

  it('keeps the deployed commands of a flow that has no commands file here', () => {
    const withCommands = deployed('Main', 'old', { commands: ['/keep'] });
    const [same] = planDeploy([{ name: 'Main', content: 'old' }], [withCommands], baseOf(['Main', 'old']));
    assert.equal(same.kind, 'unchanged');
    const steps = planDeploy([{ name: 'Main', content: 'new' }], [withCommands], baseOf(['Main', 'old']));
    const [update] = operationsFor(steps, new Set());
    assert.deepEqual(update.kind === 'update' && update.flow.commands, ['/keep']);
  });

  it('never creates a flow whose name differs from a deployed one by case alone', () => {
    const steps = planDeploy([local('main', 'x'), local('Main', 'y')], [deployed('Main', 'y'), deployed('MAIN', 'z')], undefined);
    assert.deepEqual(
      steps.map((step) => `${step.kind} ${stepName(step)}`),
      ['unchanged Main', 'remoteOnly MAIN', 'clash main'],
    );
    assert.deepEqual(operationsFor(steps, new Set()), []);
  });

  it('counts a change of commands as a change', () => {
    const [step] = planDeploy([local('Main', 'same', ['/go'])], [deployed('Main', 'same')], baseOf(['Main', 'same']));
    assert.equal(step.kind, 'update');
  });

  it('finds what moved in the Studio between the plan and the send', () => {
    const before = [deployed('A', 'a'), deployed('B', 'b'), deployed('C', 'c')];
    const steps = planDeploy([local('A', 'a2'), local('B', 'b2'), local('New', 'n')], before, baseOf(['A', 'a'], ['B', 'b']));
    assert.deepEqual(changedSincePlan(steps, before), []);
    const now = [
      deployed('A', 'a'),
      deployed('B', 'b by a colleague', { updatedAt: '2026-01-02T00:00:00.000Z' }),
      deployed('new', 'made meanwhile'),
    ];
    assert.deepEqual(changedSincePlan(steps, now), ['B', 'C', 'New']);
  });

  it('orders the requests: new flows, updates, then only the deletions ticked', () => {
    const steps = planDeploy(
      [local('Edited', 'new', ['/e']), local('Fresh', 'f')],
      [deployed('Edited', 'old', { description: 'kept' }), deployed('Gone', 'g'), deployed('Kept', 'k')],
      baseOf(['Edited', 'old']),
    );
    const operations = operationsFor(steps, new Set(['id-Gone']));
    assert.deepEqual(operations, [
      { kind: 'create', name: 'Fresh', flow: { name: 'Fresh', description: '', commands: [], content: 'f' } },
      { kind: 'update', name: 'Edited', flowId: 'id-Edited', flow: { content: 'new', commands: ['/e'], description: 'kept' } },
      { kind: 'delete', name: 'Gone', flowId: 'id-Gone' },
    ]);
  });

  it('moves the base with each request that landed', () => {
    let base = baseOf(['Edited', 'old'], ['Gone', 'g']);
    base = baseAfterSent(base, 'bot-1', {
      operation: { kind: 'update', name: 'Edited', flowId: 'id-Edited', flow: { content: 'new', commands: [] } },
    });
    base = baseAfterSent(base, 'bot-1', {
      operation: { kind: 'create', name: 'Fresh', flow: { name: 'Fresh', content: 'f', commands: [] } },
      flow: deployed('Fresh', 'f', { id: 'id-new', updatedAt: 'later' }),
    });
    base = baseAfterSent(base, 'bot-1', { operation: { kind: 'delete', name: 'Gone', flowId: 'id-Gone' } });
    assert.deepEqual(
      { ...base.flows },
      {
        Edited: { id: 'id-Edited', contentHash: contentHash('new'), commandsHash: commandsHash([]), updatedAt: undefined },
        Fresh: { id: 'id-new', contentHash: contentHash('f'), commandsHash: commandsHash([]), updatedAt: 'later' },
      },
    );
  });
});

describe('The deploy lock', () => {
  let storage: string;
  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-lock-'));
  });
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  it('lets one deploy of a bot run at a time, and another bot deploy meanwhile', async () => {
    const first = await lockDeploy(storage, 'bot-1');
    assert.ok(first);
    assert.equal(await lockDeploy(storage, 'bot-1'), undefined);
    const other = await lockDeploy(storage, 'bot-2');
    assert.ok(other);
    await first.release();
    const again = await lockDeploy(storage, 'bot-1');
    assert.ok(again);
    await Promise.all([again.release(), other.release()]);
    assert.deepEqual(fs.readdirSync(storage), []);
  });

  it('takes over the lock of a window that crashed, or that stopped refreshing it', async () => {
    const crashed = await lockDeploy(storage, 'bot-1');
    assert.ok(crashed);
    const [file] = fs.readdirSync(storage);
    const record = JSON.parse(fs.readFileSync(path.join(storage, file), 'utf8')) as { pid: number };
    fs.writeFileSync(path.join(storage, file), JSON.stringify({ ...record, pid: 999_999_999 }));
    assert.ok(await lockDeploy(storage, 'bot-1', { isAlive: () => false }), 'a dead process kept its lock');
    let now = Date.now();
    const stale = await lockDeploy(storage, 'bot-2', { now: () => now });
    assert.ok(stale);
    now += 31_000;
    assert.ok(await lockDeploy(storage, 'bot-2', { now: () => now, isAlive: () => true }), 'a lock not refreshed for 30 s held');
    await crashed.release();
  });

  it('lets one of two windows take over an abandoned lock, never both', async () => {
    for (let round = 0; round < 20; round++) {
      const bot = `bot-race-${round}`;
      let now = Date.now();
      const abandoned = await lockDeploy(storage, bot, { now: () => now });
      assert.ok(abandoned);
      now += 60_000;
      const winners = (
        await Promise.all([lockDeploy(storage, bot, { now: () => now }), lockDeploy(storage, bot, { now: () => now })])
      ).filter((lock) => lock !== undefined);
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} windows hold the lock`);
      await winners[0]?.release();
      await abandoned.release();
    }
  });

  it('leaves a lock being written alone, and takes one left unreadable', async () => {
    const held = await lockDeploy(storage, 'bot-1');
    assert.ok(held);
    const [file] = fs.readdirSync(storage);
    fs.writeFileSync(path.join(storage, file), '');
    assert.equal(await lockDeploy(storage, 'bot-1'), undefined, 'a lock being written was taken');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(path.join(storage, file), old, old);
    assert.ok(await lockDeploy(storage, 'bot-1'));
    await held.release();
  });
});

describe('The bot a deploy leaves', () => {
  const onboarding = deployed('Onboarding', 'start:\n  goto menu@Default\n');
  const defaultFlow = deployed('Default', 'start:\n  goto menu\nmenu:\n  say "hi"\n');

  it('is the deployed flows with what is sent, without what is deleted, with what is created', () => {
    const flows = botAfterDeploy(
      [onboarding, defaultFlow, deployed('Gone', 'start:\n  goto end\n')],
      [
        { kind: 'update', name: 'Default', flowId: 'id-Default', flow: { content: 'start:\n  goto end\n', commands: [] } },
        { kind: 'delete', name: 'Gone', flowId: 'id-Gone' },
        { kind: 'create', name: 'New', flow: { name: 'New', content: 'start:\n  goto end\n', commands: [] } },
      ],
    );
    assert.deepEqual(
      flows.map((flow) => `${flow.name}: ${flow.content}`),
      ['Onboarding: start:\n  goto menu@Default\n', 'Default: start:\n  goto end\n', 'New: start:\n  goto end\n'],
    );
  });

  it('finds a goto that a flow left as deployed would no longer reach', () => {
    const fine = deployProblems(botAfterDeploy([onboarding, defaultFlow], []), 'Default');
    assert.deepEqual(fine, { errors: 0, endings: 0, examples: [] });
    const taken = deployed('Default', 'start:\n  say "the Studio\'s version, without menu"\n');
    const broken = deployProblems(botAfterDeploy([onboarding, taken], []), 'Default');
    assert.equal(broken.endings, 1);
    assert.match(broken.examples[0], /^Onboarding: .*"menu"/);
    const syntax = deployProblems([{ name: 'Default', content: 'start:\n  goto\n' }], 'Default');
    assert.equal(syntax.errors, 1);
  });
});

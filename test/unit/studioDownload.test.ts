import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareWithFolder, writeFilesAtomically } from '../../src/common/folderWrites';
import { fetchDownloadPlan } from '../../src/roundtrip/botDownloadPlan';
import { commandsHash, contentHash } from '../../src/roundtrip/downloadPlan';
import { StudioError, StudioErrorKind } from '../../src/studio/errors';
import { sampleFlowId, sampleFlows } from '../emulator/fixtures';
import { StudioFlow } from '../emulator/studioEmulator';
import { StudioHarness } from '../support/studioHarness';

const noWait = async () => undefined;

function flowNamed(name: string, content: string): StudioFlow {
  const [template] = sampleFlows();
  return { ...template, id: `id-${Buffer.from(name).toString('hex')}`, name, content, commands: [] };
}

/** What the command does once the plan is in: the files not there yet are written. */
async function download(harness: StudioHarness, folder: string) {
  const plan = await fetchDownloadPlan(harness.client(), { sleep: noWait });
  const states = await compareWithFolder(folder, plan.files);
  const outcome = await writeFilesAtomically(
    folder,
    plan.files.filter((file) => states.get(file.path)?.state === 'absent'),
  );
  return { plan, outcome };
}

function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(folder, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(folder);
  return files;
}

describe('Downloading a bot, against the emulator', () => {
  const harness = new StudioHarness();
  let folder: string;
  before(() => harness.start());
  after(() => harness.stop());
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-download-unit-'));
  });
  afterEach(() => {
    harness.emulator.clearFaults();
    harness.emulator.clearRequests();
    harness.emulator.setFlows(sampleFlows());
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('writes the Studio CLI layout and remembers each flow as deployed', async () => {
    const { plan, outcome } = await download(harness, folder);
    assert.deepEqual(outcome.failed, []);
    const files = snapshot(folder);
    assert.equal((JSON.parse(files['bot.json']) as { default_flow?: string }).default_flow, 'Default');
    for (const flow of sampleFlows()) {
      assert.equal(files[path.join('flows', `${flow.name}.csml`)], flow.content);
      assert.equal(files[path.join('flows', `${flow.name}.cmds.csml`)], flow.commands.length ? `${flow.commands.join('\n')}\n` : '');
      assert.deepEqual(plan.base.flows[flow.name], {
        id: flow.id,
        contentHash: contentHash(flow.content),
        commandsHash: commandsHash(flow.commands),
        updatedAt: flow.updated_at,
      });
    }
    assert.equal(plan.base.flows.Onboarding.id, sampleFlowId('Onboarding'));
    assert.ok(!Object.keys(files).some((file) => path.basename(file) === '.env'));
  });

  it('downloads a flow of several MB whole', async () => {
    const big = `start:\n${'  say "a long flow"\n'.repeat(400_000)}`;
    harness.emulator.setFlows([...sampleFlows(), flowNamed('Huge', big)]);
    await download(harness, folder);
    assert.equal(fs.readFileSync(path.join(folder, 'flows', 'Huge.csml'), 'utf8'), big);
  });

  it('writes no file outside the folder and none over another, and says which flows it refused', async () => {
    const hostile = ['../escape', 'a/b', 'a\\b', 'nul\u0000byte', 'bell\u0007', '', 'CON', 'Main', 'main', 'X', 'X.cmds', 'trailing.'];
    harness.emulator.setFlows([...sampleFlows(), ...hostile.map((name) => flowNamed(name, `start:\n  say ${JSON.stringify(name)}\n`))]);
    const { plan, outcome } = await download(harness, folder);
    assert.deepEqual(outcome.failed, []);
    const refused = new Set(plan.refused.map((flow) => flow.name));
    for (const name of hostile.filter((name) => name !== 'X')) assert.ok(refused.has(name), `${JSON.stringify(name)} was not refused`);
    for (const flow of plan.refused) assert.ok(flow.reason.length > 0);
    const files = Object.keys(snapshot(folder)).sort();
    const expected = [
      'bot.json',
      ...[...sampleFlows().map((flow) => flow.name), 'X'].flatMap((name) => [`flows/${name}.csml`, `flows/${name}.cmds.csml`]),
    ];
    assert.deepEqual(files, expected.map((file) => file.split('/').join(path.sep)).sort());
    assert.ok(!fs.existsSync(path.join(path.dirname(folder), 'escape.csml')));
  });

  describe('bad worlds: a failure on the way writes nothing', () => {
    const cases: Array<[string, object, StudioErrorKind]> = [
      ['401', { status: 401 }, 'credentialsRejected'],
      ['403', { status: 403 }, 'credentialsRejected'],
      ['500', { status: 500 }, 'server'],
      ['a cut connection', { afterAuth: true, reset: true, json: [{ padding: 'x'.repeat(20_000) }] }, 'network'],
      ['an unexpected shape', { afterAuth: true, json: { flows: 'none' } }, 'malformed'],
    ];
    for (const [what, fault, kind] of cases) {
      it(`on ${what} while the flows are read`, async () => {
        fs.writeFileSync(path.join(folder, 'bot.json'), '{"name": "mine"}\n');
        harness.emulator.fault({ path: '/bot/flows', ...fault });
        await assert.rejects(download(harness, folder), (error: unknown) => error instanceof StudioError && error.kind === kind);
        assert.deepEqual(snapshot(folder), { 'bot.json': '{"name": "mine"}\n' });
      });
    }

    it('waits as asked after a 429 with Retry-After, then downloads', async () => {
      harness.emulator.fault({ path: '/bot/flows', status: 429, retryAfter: 2, times: 1 });
      const waits: number[] = [];
      const plan = await fetchDownloadPlan(harness.client(), { sleep: async (ms) => void waits.push(ms) });
      assert.deepEqual(waits, [2000]);
      assert.equal(plan.files.filter((file) => file.path.endsWith('.cmds.csml')).length, sampleFlows().length);
    });
  });
});

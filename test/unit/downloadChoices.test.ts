import * as assert from 'node:assert/strict';
import type { FileComparison } from '../../src/common/folderWrites';
import { baseAfterDownload, sortFiles, stillAsShown } from '../../src/roundtrip/downloadChoices';
import { DownloadPlan, PlannedFile } from '../../src/roundtrip/downloadPlan';

const file = (path: string, flow?: string): PlannedFile => ({ path, content: `${path} from the Studio`, flow });
const states = (entries: Array<[string, FileComparison]>) => new Map(entries);
const paths = (files: readonly PlannedFile[]) => files.map((planned) => planned.path);

describe('The choices of a download', () => {
  const files = [
    file('bot.json'),
    file('flows/A.csml', 'A'),
    file('flows/B.csml', 'B'),
    file('flows/C.csml', 'C'),
    file('flows/D.csml', 'D'),
  ];
  const found = states([
    ['bot.json', { state: 'same', current: 'bot.json from the Studio' }],
    ['flows/A.csml', { state: 'absent' }],
    ['flows/B.csml', { state: 'differs', current: 'mine' }],
    ['flows/C.csml', { state: 'differs', current: 'mine too' }],
  ]);

  it('writes new files, leaves identical ones, asks about those that differ, never touches unsaved ones', () => {
    const sorted = sortFiles(files, found, (planned) => planned.path === 'flows/C.csml');
    assert.deepEqual(paths(sorted.fresh), ['flows/A.csml']);
    assert.deepEqual(paths(sorted.same), ['bot.json']);
    assert.deepEqual(paths(sorted.differing), ['flows/B.csml']);
    assert.deepEqual(paths(sorted.unsaved), ['flows/C.csml']);
    assert.deepEqual(sorted.unsafe, [{ path: 'flows/D.csml', reason: 'it could not be checked' }]);
  });

  it('an unsaved editor wins over a new file too', () => {
    const sorted = sortFiles([file('flows/A.csml', 'A')], found, () => true);
    assert.deepEqual(paths(sorted.unsaved), ['flows/A.csml']);
    assert.deepEqual(sorted.fresh, []);
  });

  it('writes after the choice only what is still as it was shown', () => {
    const chosen = [file('flows/A.csml', 'A'), file('flows/B.csml', 'B'), file('flows/C.csml', 'C')];
    const now = states([
      ['flows/A.csml', { state: 'differs', current: 'created meanwhile' }],
      ['flows/B.csml', { state: 'differs', current: 'mine' }],
      ['flows/C.csml', { state: 'differs', current: 'edited in the diff and saved' }],
    ]);
    const { write, changed } = stillAsShown(chosen, found, now, () => false);
    assert.deepEqual(paths(write), ['flows/B.csml']);
    assert.deepEqual(paths(changed), ['flows/A.csml', 'flows/C.csml']);
    const dirty = stillAsShown(chosen, found, found, (planned) => planned.path === 'flows/B.csml');
    assert.ok(!dirty.write.some((planned) => planned.path === 'flows/B.csml'), 'an editor made dirty during the choice was written over');
  });

  describe('the base remembered', () => {
    const plan: DownloadPlan = {
      files: [
        file('bot.json'),
        file('flows/A.csml', 'A'),
        file('flows/A.cmds.csml', 'A'),
        file('flows/B.csml', 'B'),
        file('flows/C.csml', 'C'),
      ],
      refused: [],
      base: {
        botId: 'bot-1',
        flows: {
          A: { id: 'a', contentHash: 'new-a' },
          B: { id: 'b', contentHash: 'new-b' },
          C: { id: 'c', contentHash: 'new-c' },
        },
      },
    };

    it('moves only for flows the folder now holds as downloaded', () => {
      const previous = { botId: 'bot-1', flows: { B: { id: 'b', contentHash: 'old-b' }, Gone: { id: 'g', contentHash: 'g' } } };
      const base = baseAfterDownload(previous, plan, new Set(['flows/A.csml', 'flows/B.cmds.csml']));
      assert.deepEqual(
        { ...base.flows },
        { A: { id: 'a', contentHash: 'new-a' }, B: { id: 'b', contentHash: 'old-b' }, Gone: { id: 'g', contentHash: 'g' } },
      );
      assert.equal(base.botId, 'bot-1');
    });

    it("forgets another bot's base", () => {
      const previous = { botId: 'bot-2', flows: { B: { id: 'x', contentHash: 'other' } } };
      const base = baseAfterDownload(previous, plan, new Set(['flows/C.csml']));
      assert.deepEqual({ ...base.flows }, { C: { id: 'c', contentHash: 'new-c' } });
    });

    it('holds flows named like object properties', () => {
      const odd: DownloadPlan = {
        files: [file('flows/__proto__.csml', '__proto__')],
        refused: [],
        base: { flows: JSON.parse('{"__proto__": {"id": "p", "contentHash": "h"}}') as DownloadPlan['base']['flows'] },
      };
      const base = baseAfterDownload(undefined, odd, new Set(['flows/__proto__.csml']));
      assert.deepEqual(Object.keys(base.flows), ['__proto__']);
      assert.equal(base.flows['__proto__'].id, 'p');
    });
  });
});

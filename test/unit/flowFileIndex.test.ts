import * as assert from 'node:assert/strict';
import { FlowFileIndex } from '../../src/csml/flowFileIndex';
import { matchFlowFiles } from '../../src/csml/flowMatch';

describe('FlowFileIndex', () => {
  it('starts empty', () => {
    const index = new FlowFileIndex();
    assert.equal(index.size, 0);
    assert.deepEqual(index.lookup('Default'), []);
  });

  it('looks flows up by name in any case, exact case first', () => {
    const index = new FlowFileIndex([
      '/b/flows/default.csml',
      '/a/flows/Default.csml',
      '/a/flows/Default.cmds.csml',
      '/a/flows/Other.csml',
    ]);
    assert.equal(index.size, 3);
    assert.deepEqual(index.lookup('Default'), ['/a/flows/Default.csml', '/b/flows/default.csml']);
    assert.deepEqual(index.lookup('default'), ['/b/flows/default.csml', '/a/flows/Default.csml']);
    assert.deepEqual(index.lookup('OTHER'), ['/a/flows/Other.csml']);
    assert.deepEqual(index.lookup('Default.cmds'), []);
  });

  it('ignores files that are not flows', () => {
    const index = new FlowFileIndex();
    assert.equal(index.add('/a/flows/Default.cmds.csml'), false);
    assert.equal(index.add('/a/bot.json'), false);
    assert.equal(index.add('/a/.env'), false);
    assert.equal(index.size, 0);
  });

  it('adds each path once', () => {
    const index = new FlowFileIndex();
    assert.equal(index.add('/a/flows/Default.csml'), true);
    assert.equal(index.add('/a/flows/Default.csml'), false);
    assert.equal(index.size, 1);
    assert.deepEqual(index.lookup('Default'), ['/a/flows/Default.csml']);
  });

  it('removes paths', () => {
    const index = new FlowFileIndex(['/a/flows/Default.csml', '/b/Default.csml']);
    assert.equal(index.remove('/a/flows/Default.csml'), true);
    assert.equal(index.remove('/a/flows/Default.csml'), false);
    assert.equal(index.remove('/a/flows/Unknown.csml'), false);
    assert.equal(index.remove('/a/bot.json'), false);
    assert.equal(index.size, 1);
    assert.deepEqual(index.lookup('Default'), ['/b/Default.csml']);
    assert.equal(index.remove('/b/Default.csml'), true);
    assert.equal(index.size, 0);
    assert.deepEqual(index.lookup('Default'), []);
  });

  it('keeps several files of one flow through adds and removes', () => {
    const index = new FlowFileIndex();
    index.add('/c/Flow.csml');
    index.add('/a/flow.csml');
    index.add('/b/Flow.csml');
    assert.deepEqual(index.lookup('Flow'), ['/b/Flow.csml', '/c/Flow.csml', '/a/flow.csml']);
    assert.equal(index.remove('/b/Flow.csml'), true);
    assert.equal(index.remove('/a/flow.csml'), true);
    assert.deepEqual(index.lookup('flow'), ['/c/Flow.csml']);
    assert.equal(index.add('/c/Flow.csml'), false);
    assert.equal(index.add('/a/flow.csml'), true);
    assert.deepEqual(index.lookup('flow'), ['/a/flow.csml', '/c/Flow.csml']);
    assert.equal(index.size, 2);
  });

  it('replaces everything on reset', () => {
    const index = new FlowFileIndex(['/a/flows/Old.csml']);
    index.reset(['/a/flows/New.csml', '/a/flows/New.csml']);
    assert.equal(index.size, 1);
    assert.deepEqual(index.lookup('Old'), []);
    assert.deepEqual(index.lookup('New'), ['/a/flows/New.csml']);
  });

  it('returns a fresh array the caller may change', () => {
    const index = new FlowFileIndex(['/a/Default.csml']);
    index.lookup('Default').push('/elsewhere');
    assert.deepEqual(index.lookup('Default'), ['/a/Default.csml']);
  });

  it('agrees with matchFlowFiles and indexes 20,000 paths', function () {
    this.timeout(10_000);
    const paths: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const bot = `bot${i % 50}`;
      const flow = i % 3 === 0 ? `Flow${i % 400}` : `flow${i % 400}`;
      paths.push(i % 7 === 0 ? `/ws/${bot}/flows/${flow}.cmds.csml` : `/ws/${bot}/flows/${flow}.csml`);
    }
    const index = new FlowFileIndex();
    index.reset(paths);

    assert.equal(index.size, new Set(paths.filter((path) => !path.endsWith('.cmds.csml'))).size);
    for (const name of ['Flow0', 'flow0', 'FLOW7', 'Flow399', 'missing']) {
      assert.deepEqual(index.lookup(name), matchFlowFiles(name, [...new Set(paths)]));
    }
  });
});

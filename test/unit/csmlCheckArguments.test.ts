import * as assert from 'node:assert/strict';
import { parseArguments } from '../../src/cli/arguments';

describe('csml-check arguments', () => {
  it('takes paths in order, with --json anywhere', () => {
    assert.deepEqual(parseArguments(['bots/a', '--json', 'b.csml']), { kind: 'check', paths: ['bots/a', 'b.csml'], json: true });
    assert.deepEqual(parseArguments(['bots/a']), { kind: 'check', paths: ['bots/a'], json: false });
  });

  it('reads what follows -- as paths, even when it looks like an option', () => {
    assert.deepEqual(parseArguments(['--', '--json', '-x']), { kind: 'check', paths: ['--json', '-x'], json: false });
  });

  it('answers --help and -h with the usage, whatever else is given', () => {
    assert.deepEqual(parseArguments(['bots', '--help']), { kind: 'help' });
    assert.deepEqual(parseArguments(['-h']), { kind: 'help' });
  });

  it('refuses no path, an empty path and an unknown option, saying what to do', () => {
    const none = parseArguments(['--json']);
    assert.equal(none.kind, 'usage-error');
    assert.match(none.kind === 'usage-error' ? none.message : '', /Name at least one bot folder or flow file/);
    const unknown = parseArguments(['bots', '--jsonn']);
    assert.equal(unknown.kind, 'usage-error');
    assert.match(unknown.kind === 'usage-error' ? unknown.message : '', /Unknown option --jsonn: run csml-check --help/);
    assert.equal(parseArguments(['']).kind, 'usage-error');
  });
});

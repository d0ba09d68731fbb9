import * as assert from 'node:assert/strict';
import { flowNameOfFile, matchFlowFiles, resolveFlow } from '../../src/csml/flowMatch';

interface Flow {
  id: string;
  name: string;
  tag: string;
}

describe('flowMatch', () => {
  describe('resolveFlow', () => {
    const flows: Flow[] = [
      { id: 'AAA-111', name: 'Default', tag: 'upper id' },
      { id: 'aaa-111', name: 'Other', tag: 'lower id' },
      { id: 'bbb-222', name: 'Onboarding', tag: 'onboarding' },
      { id: 'ccc-333', name: 'onboarding', tag: 'lower onboarding' },
      { id: 'ddd-444', name: 'bbb-222', tag: 'named like an id' },
      { id: 'eee-555', name: 'Help', tag: 'help' },
    ];

    it('prefers an exact id', () => {
      assert.equal(resolveFlow('aaa-111', flows)?.tag, 'lower id');
      assert.equal(resolveFlow('AAA-111', flows)?.tag, 'upper id');
    });

    it('falls back to the id in any case', () => {
      assert.equal(resolveFlow('EEE-555', flows)?.tag, 'help');
    });

    it('prefers any id over a name', () => {
      assert.equal(resolveFlow('BBB-222', flows)?.tag, 'onboarding');
    });

    it('then takes an exact name, then a name in any case', () => {
      assert.equal(resolveFlow('onboarding', flows)?.tag, 'lower onboarding');
      assert.equal(resolveFlow('Onboarding', flows)?.tag, 'onboarding');
      assert.equal(resolveFlow('ONBOARDING', flows)?.tag, 'onboarding');
      assert.equal(resolveFlow('help', flows)?.tag, 'help');
    });

    it('returns undefined when nothing matches', () => {
      assert.equal(resolveFlow('missing', flows), undefined);
      assert.equal(resolveFlow('', flows), undefined);
      assert.equal(resolveFlow('x', []), undefined);
    });

    it('returns the very object passed in', () => {
      assert.equal(resolveFlow('Help', flows), flows[5]);
    });
  });

  describe('flowNameOfFile', () => {
    it('takes the file name without its extension', () => {
      assert.equal(flowNameOfFile('/bot/flows/Default.csml'), 'Default');
      assert.equal(flowNameOfFile('/bot/flows/My.Flow.csml'), 'My.Flow');
      assert.equal(flowNameOfFile('Flow.csml'), 'Flow');
    });

    it('works with Windows separators and any extension case', () => {
      assert.equal(flowNameOfFile('C:\\bot\\flows\\Onboarding.CSML'), 'Onboarding');
      assert.equal(flowNameOfFile('C:\\bot/flows\\mixed.Csml'), 'mixed');
    });

    it('rejects command files, other extensions and empty names', () => {
      assert.equal(flowNameOfFile('/bot/flows/Default.cmds.csml'), undefined);
      assert.equal(flowNameOfFile('/bot/flows/Default.CMDS.csml'), undefined);
      assert.equal(flowNameOfFile('/bot/flows/Default.csml.bak'), undefined);
      assert.equal(flowNameOfFile('/bot/flows/Default.txt'), undefined);
      assert.equal(flowNameOfFile('/bot/flows/.csml'), undefined);
      assert.equal(flowNameOfFile('/bot/flows.csml/readme'), undefined);
      assert.equal(flowNameOfFile(''), undefined);
    });
  });

  describe('matchFlowFiles', () => {
    const paths = [
      '/b/flows/onboarding.csml',
      '/a/flows/Onboarding.csml',
      '/a/flows/Onboarding.cmds.csml',
      '/c/Onboarding.csml',
      '/a/flows/Onboarding2.csml',
      '/a/flows/My.Flow.csml',
      '/a/flows/Onboarding.md',
      'C:\\d\\ONBOARDING.csml',
    ];

    it('puts exact-case matches first, each group sorted by path', () => {
      assert.deepEqual(matchFlowFiles('Onboarding', paths), [
        '/a/flows/Onboarding.csml',
        '/c/Onboarding.csml',
        '/b/flows/onboarding.csml',
        'C:\\d\\ONBOARDING.csml',
      ]);
    });

    it('orders by the exact case that was asked for', () => {
      assert.deepEqual(matchFlowFiles('ONBOARDING', paths), [
        'C:\\d\\ONBOARDING.csml',
        '/a/flows/Onboarding.csml',
        '/b/flows/onboarding.csml',
        '/c/Onboarding.csml',
      ]);
    });

    it('handles dots in flow names', () => {
      assert.deepEqual(matchFlowFiles('my.flow', paths), ['/a/flows/My.Flow.csml']);
    });

    it('never matches command files and returns nothing for unknown flows', () => {
      assert.deepEqual(matchFlowFiles('Onboarding.cmds', paths), []);
      assert.deepEqual(matchFlowFiles('Missing', paths), []);
    });

    it('leaves its input alone', () => {
      const copy = [...paths];
      matchFlowFiles('Onboarding', copy);
      assert.deepEqual(copy, paths);
    });
  });
});

import * as assert from 'node:assert/strict';
import { readStringList } from '../../src/common/keyValueStore';
import { MemoryStore } from '../support/memoryStore';

describe('readStringList', () => {
  it('reads the strings kept under a key and drops anything else', async () => {
    const store = new MemoryStore();
    await store.update('list', ['a', 3, null, 'b', { c: 1 }]);
    assert.deepEqual(readStringList(store, 'list'), ['a', 'b']);
  });

  it('reads a missing key or a value of another shape as empty', async () => {
    const store = new MemoryStore();
    assert.deepEqual(readStringList(store, 'missing'), []);
    await store.update('text', 'a,b');
    assert.deepEqual(readStringList(store, 'text'), []);
  });
});

import * as assert from 'node:assert/strict';
import { LineIndex, positionOf } from '../../src/csml/lineIndex';

describe('LineIndex and positionOf', () => {
  const texts = ['a\nbc\n\nd', 'a\r\nbc\r\rd\n', '\uFEFFab\ncd', '', 'one line'];

  it('agree with each other on every offset, whatever the line endings', () => {
    for (const text of texts) {
      const index = new LineIndex(text);
      for (let offset = 0; offset <= text.length; offset++)
        assert.deepEqual(positionOf(text, offset), index.position(offset), JSON.stringify(text));
    }
  });

  it('count LF, CRLF and CR as one line end each, and no column for a byte order mark', () => {
    const index = new LineIndex('a\r\nbc\rd\ne');
    assert.deepEqual(index.position(3), { line: 1, character: 0 });
    assert.deepEqual(index.position(6), { line: 2, character: 0 });
    assert.deepEqual(index.position(8), { line: 3, character: 0 });
    assert.deepEqual(positionOf('\uFEFFab\ncd', 2), { line: 0, character: 1 });
  });
});

import * as assert from 'node:assert/strict';
import { containerSummary, exactTime, relativeTime, scalarText, truncate } from '../../src/conversations/format';

describe('format', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('says how long ago a time was, or that it is not a date', () => {
    assert.equal(relativeTime('2026-01-01T12:00:02Z', now), 'just now');
    assert.equal(relativeTime('2026-01-01T11:59:18Z', now), '42 s ago');
    assert.equal(relativeTime('2026-01-01T11:55:00Z', now), '5 min ago');
    assert.equal(relativeTime('2026-01-01T09:00:00Z', now), '3 h ago');
    assert.equal(relativeTime('2025-12-31T12:00:00Z', now), '1 day ago');
    assert.equal(relativeTime('2026-01-01T12:10:00Z', now), 'in 10 min');
    assert.equal(relativeTime('not a date', now), undefined);
  });

  it('keeps the original text of a date that does not parse', () => {
    assert.match(exactTime('soon'), /soon \(not a recognised date\)/);
    assert.match(exactTime('2026-01-01T12:00:00Z'), /2026-01-01T12:00:00.000Z/);
  });

  it('shows scalars so that types stay visible', () => {
    assert.equal(scalarText('42'), '"42"');
    assert.equal(scalarText(42), '42');
    assert.equal(scalarText(null), 'null');
    assert.equal(containerSummary([1]), '[1 item]');
    assert.equal(containerSummary({ a: 1, b: 2 }), '{2 keys}');
  });

  it('cuts long text on whole code points', () => {
    assert.equal(truncate('😀😀😀', 2), '😀…');
    assert.equal(truncate('short', 10), 'short');
  });
});

import * as assert from 'node:assert/strict';
import { parseBot, parseFlows, parseOpenConversationAnswer, SchemaError } from '../../src/studio/schema';
import { createRandom } from '../support/random';

const KEYS = [
  'has_open',
  'conversation',
  'flow_id',
  'step_id',
  'status',
  'metadata',
  'client',
  'id',
  'created_at',
  'last_interaction_at',
  'name',
  'content',
  '__proto__',
  'constructor',
  'toString',
  '',
];
const STRINGS = ['', 'start', 'OPEN', '2019-11-16T19:57:42.219Z', 'not a date', '😀', '\u0000', 'x'.repeat(300)];

/** Random JSON values, biased towards the shapes the Studio answers with so the validator's deep paths run. */
function randomJson(random: (limit: number) => number, depth: number): unknown {
  const pick = Math.floor(random(depth > 6 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random(1) < 0.5;
    case 2:
      return [0, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e308][Math.floor(random(5))];
    case 3:
    case 4:
      return STRINGS[Math.floor(random(STRINGS.length))];
    case 5:
      return { has_open: random(1) < 0.7 ? random(1) < 0.5 : randomJson(random, depth + 1) };
    case 6:
      return Array.from({ length: Math.floor(random(4)) }, () => randomJson(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const count = Math.floor(random(6));
      for (let i = 0; i < count; i++) object[KEYS[Math.floor(random(KEYS.length))]] = randomJson(random, depth + 1);
      if (random(1) < 0.3) object.conversation = { flow_id: 'f', step_id: 's', ...object };
      return object;
    }
  }
}

describe('response validation under random input (seeded)', () => {
  it('either accepts a value or throws a SchemaError with a reason, never anything else, and stops', function () {
    this.timeout(10_000);
    const seed = 20261125;
    const random = createRandom(seed);
    const deadline = Date.now() + 1500;
    let runs = 0;
    let accepted = 0;
    for (; runs < 200_000 && Date.now() < deadline; runs++) {
      const value = randomJson(random, 0);
      for (const parse of [parseOpenConversationAnswer, parseBot, parseFlows] as ((v: unknown) => unknown)[]) {
        try {
          parse(value);
          accepted++;
        } catch (error) {
          if (!(error instanceof SchemaError) || error.message.length === 0) {
            assert.fail(`seed ${seed}, run ${runs}: ${String(error)} for ${JSON.stringify(value)}`);
          }
        }
      }
    }
    assert.ok(runs > 1000, `only ${runs} runs`);
    assert.ok(accepted > 0, 'the generator never produced a valid answer, so the happy path was not exercised');
  });

  it('handles metadata nested 100 levels deep, and far deeper, without recursion limits', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { level: deep };
    const answer = parseOpenConversationAnswer({ has_open: true, conversation: { flow_id: 'f', step_id: 's', metadata: deep } });
    assert.ok(answer.hasOpen && answer.conversation.metadata === deep);
  });
});

import * as assert from 'node:assert/strict';
import { LatestRun } from '../../src/common/latestRun';
import { StudioError } from '../../src/studio/errors';
import { withPacedRetry } from '../../src/studio/pacedRetry';
import { SchemaError } from '../../src/studio/schema';
import { cleanMessage, parseValidationAnswer } from '../../src/studio/validationAnswer';
import { notShownLocally, placeErrors, spanIn } from '../../src/roundtrip/validationPlaces';
import { matchLocalFlows, parseCommands, placeholderId, validationRequest } from '../../src/roundtrip/validationRequest';

describe('Studio validation answers', () => {
  it('reads a valid bot', () => {
    assert.deepEqual(parseValidationAnswer({ valid: true }), { valid: true });
    assert.deepEqual(parseValidationAnswer({ valid: true, errors: [] }), { valid: true });
  });

  it('accepts every spelling of a position, 1-based, and the end when given', () => {
    const answer = parseValidationAnswer({
      valid: false,
      errors: [
        { flow: 'A', step: 'start', line: 3, column: 5, message: 'one' },
        { flow: 'A', line: 4, col: 2, message: 'two' },
        { flow: 'A', start_line: 6, start_column: 7, end_line: 6, end_column: 9, message: 'three' },
        { flow: 'A', line: '8', column: '1', message: 'four' },
      ],
    });
    assert.ok(!answer.valid);
    assert.deepEqual(
      answer.errors.map(({ line, column, endLine, endColumn }) => [line, column, endLine, endColumn]),
      [
        [3, 5, undefined, undefined],
        [4, 2, undefined, undefined],
        [6, 7, 6, 9],
        [8, 1, undefined, undefined],
      ],
    );
    assert.equal(answer.errors[0].step, 'start');
  });

  it('takes a line of 0, a negative or a missing line as the whole flow', () => {
    const answer = parseValidationAnswer({
      valid: false,
      errors: [
        { flow: 'A', line: 0, column: 0, message: 'zero' },
        { flow: 'A', message: 'none' },
        { flow: 'A', line: -2, column: 3, message: 'negative' },
        { flow: 'A', line: 1.5, message: 'fraction' },
      ],
    });
    assert.ok(!answer.valid);
    for (const error of answer.errors) assert.equal(error.line, undefined, error.message);
    for (const error of answer.errors) assert.equal(error.column, undefined, error.message);
  });

  it('keeps only what is wrong from an engine message that quotes the source', () => {
    const message = 'at line 3,\n  goto   \n       ^\nExpecting a step name after goto';
    assert.equal(cleanMessage(message), 'Expecting a step name after goto');
    assert.equal(cleanMessage('plain message'), 'plain message');
    assert.equal(cleanMessage('bidi \u202Eevil\u0007 text'), 'bidi evil text');
    assert.equal(cleanMessage('x'.repeat(5000)).length, 600);
  });

  it('refuses answers of an unexpected shape', () => {
    for (const body of [null, [], 'valid', { errors: [] }, { valid: 'no' }, { valid: false, errors: {} }, { valid: false, errors: [42] }]) {
      assert.throws(() => parseValidationAnswer(body), SchemaError, JSON.stringify(body));
    }
  });

  it('does not call a bot valid when errors are listed, and takes bare strings as messages', () => {
    const answer = parseValidationAnswer({ valid: true, errors: ['Flow Main is broken'] });
    assert.deepEqual(answer, { valid: false, errors: [{ message: 'Flow Main is broken' }] });
    const unsaid = parseValidationAnswer({ valid: false, errors: [{ flow: 'Main' }] });
    assert.ok(!unsaid.valid);
    assert.match(unsaid.errors[0].message, /without saying what it is/);
  });
});

describe('Studio validation requests', () => {
  const bot = {
    id: 'bot-1',
    name: 'Pizza',
    default_flow: 'id-main',
    env: { secretish: 'kept as it came' },
    flows: [
      { id: 'id-main', name: 'Main', commands: ['/start'], content: 'start:\n  goto end', extra: 1 },
      { id: 'id-other', name: 'Other', commands: [] },
      { id: 'id-remote', name: 'Remote', content: 'start:\n  say "deployed"' },
    ],
  };

  it('sends the bot as it came, with each local content in place of the deployed one', () => {
    const request = validationRequest(
      bot,
      [{ name: 'Main', content: 'start:\n  say "local"' }],
      new Map([['id-other', 'start:\n  say "other"']]),
    );
    assert.equal(request.body.env, bot.env);
    assert.equal(request.body.default_flow, 'id-main');
    const flows = request.body.flows as Array<Record<string, unknown>>;
    assert.deepEqual(
      flows.map((flow) => [flow.id, flow.content]),
      [
        ['id-main', 'start:\n  say "local"'],
        ['id-other', 'start:\n  say "other"'],
        ['id-remote', 'start:\n  say "deployed"'],
      ],
    );
    assert.equal(flows[0].extra, 1);
    assert.deepEqual(flows[0].commands, ['/start']);
    assert.deepEqual(request.missingContent, []);
    assert.equal(bot.flows[0].content, 'start:\n  goto end', 'the answer of GET /bot is not changed');
  });

  it('says which deployed contents it lacks', () => {
    const request = validationRequest(bot, []);
    assert.deepEqual(request.missingContent, ['id-other']);
  });

  it('adds a flow that exists only locally with its commands and a stable placeholder id', () => {
    const request = validationRequest(bot, [{ name: 'Billing.Legacy', content: 'start:\n  goto end', commands: ['/bill'] }]);
    const added = (request.body.flows as Array<Record<string, unknown>>)[3];
    assert.equal(added.name, 'Billing.Legacy');
    assert.deepEqual(added.commands, ['/bill']);
    assert.equal(added.bot_id, 'bot-1');
    assert.match(String(added.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(added.id, placeholderId('Billing.Legacy'));
    assert.notEqual(placeholderId('Billing.Legacy'), placeholderId('billing.legacy'));
    assert.equal(request.flowNames.get(String(added.id)), 'Billing.Legacy');
  });

  it('matches local flows by name, then by case when that is unambiguous', () => {
    const local = (name: string) => ({ name, content: name });
    const names = (found: ReturnType<typeof matchLocalFlows>) => found.map((flow) => flow?.name);
    assert.deepEqual(names(matchLocalFlows(['Main', 'other'], [local('main'), local('Main'), local('OTHER')])), ['Main', 'OTHER']);
    assert.deepEqual(names(matchLocalFlows(['Main', 'main'], [local('MAIN')])), [undefined, undefined]);
    assert.deepEqual(names(matchLocalFlows(['Main', 'main'], [local('Main')])), ['Main', undefined]);
    assert.deepEqual(names(matchLocalFlows(['main', 'Main'], [local('Main')])), [undefined, 'Main']);
    assert.deepEqual(names(matchLocalFlows([undefined], [local('x')])), [undefined]);
  });

  it('reads a commands file one command a line', () => {
    assert.deepEqual(parseCommands('/start\r\n\n  /order  \r/help\n'), ['/start', '/order', '/help']);
    assert.deepEqual(parseCommands(''), []);
  });
});

describe('Studio validation errors in place', () => {
  const ids = new Map([
    ['id-main', 'Main'],
    ['id-remote', 'Remote'],
  ]);

  it('places each error on its local flow, by name or id, 0-based', () => {
    const places = placeErrors(
      [
        { flow: 'Main', line: 2, column: 3, message: 'by name' },
        { flow: 'id-main', line: 1, message: 'by id, no column' },
        { flow: 'MAIN', message: 'by case, whole flow' },
        { flow: 'Remote', line: 1, message: 'no local file' },
        { message: 'no flow' },
      ],
      ids,
      ['Main'],
    );
    assert.deepEqual(places.byFlow.get('Main'), [
      { line: 1, column: 2, endLine: undefined, endColumn: undefined, step: undefined, message: 'by name' },
      { line: 0, column: undefined, endLine: undefined, endColumn: undefined, step: undefined, message: 'by id, no column' },
      { line: undefined, column: undefined, endLine: undefined, endColumn: undefined, step: undefined, message: 'by case, whole flow' },
    ]);
    assert.deepEqual(
      places.elsewhere.map((error) => error.message),
      ['no local file', 'no flow'],
    );
  });

  it('does not guess between local flows alike but for case', () => {
    const places = placeErrors([{ flow: 'MAIN', message: 'which?' }], new Map(), ['Main', 'main']);
    assert.equal(places.byFlow.size, 0);
    assert.equal(places.elsewhere.length, 1);
  });

  it('drops an error where a local check already reports one, and keeps the others', () => {
    const errors = [
      { line: 3, column: 4, message: 'said locally' },
      { line: 3, column: 9, message: 'another error on that line' },
      { line: 5, message: 'no column, on a line with a local error' },
      { line: 4, column: 0, message: 'new' },
      { message: 'whole flow' },
    ];
    const local = [
      { line: 3, column: 4 },
      { line: 5, column: 2 },
    ];
    assert.deepEqual(
      notShownLocally(errors, local).map((error) => error.message),
      ['another error on that line', 'new', 'whole flow'],
    );
  });

  it('takes a missing start the local checks report as said', () => {
    const errors = [
      { line: 0, column: 0, message: 'The flow has no start step' },
      { message: 'Flow needs a "start" step' },
      { message: 'other' },
    ];
    assert.deepEqual(
      notShownLocally(errors, [{ line: 0, column: 0, code: 'missing-start' }]).map((error) => error.message),
      ['other'],
    );
    assert.equal(notShownLocally(errors, []).length, 3);
  });
});

describe('Paced retries', () => {
  const limited = (retryAfterSeconds?: number) => new StudioError('rateLimited', 'The Studio is busy', { status: 429, retryAfterSeconds });

  it('waits as long as the Studio asks, then tries again', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withPacedRetry(
      async () => {
        if (++calls < 3) throw limited(calls);
        return 'done';
      },
      { sleep: async (ms) => void waits.push(ms), onWait: () => undefined },
    );
    assert.equal(result, 'done');
    assert.deepEqual(waits, [1000, 2000]);
  });

  it('gives up after its retries, on too long a wait, and on any other failure', async () => {
    const sleep = async () => undefined;
    let calls = 0;
    await assert.rejects(
      withPacedRetry(
        async () => {
          calls++;
          throw limited(1);
        },
        { sleep },
      ),
      /busy/,
    );
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      withPacedRetry(
        async () => {
          calls++;
          throw limited(600);
        },
        { sleep },
      ),
      /busy/,
    );
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(
      withPacedRetry(
        async () => {
          calls++;
          throw new StudioError('server', 'failed');
        },
        { sleep },
      ),
      /failed/,
    );
    assert.equal(calls, 1);
  });

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(
      withPacedRetry(
        async () => {
          throw limited(20);
        },
        { signal: controller.signal },
      ),
      (error: unknown) => error instanceof StudioError && error.kind === 'cancelled',
    );
    assert.ok(Date.now() - started < 5000);
  });
});

describe('Latest runs', () => {
  it('cancels the run before and knows which is the latest', () => {
    const runs = new LatestRun();
    const first = runs.begin();
    const second = runs.begin();
    assert.ok(first.signal.aborted);
    assert.ok(!first.isLatest());
    assert.ok(second.isLatest() && !second.signal.aborted);
    runs.cancel();
    assert.ok(second.signal.aborted && !second.isLatest());
  });
});

describe('Studio validation errors in the text', () => {
  const text = 'start:\n  say "hi"\r\n  goto nowhere\n';
  const error = (line?: number, column?: number, endLine?: number, endColumn?: number) => ({
    line,
    column,
    endLine,
    endColumn,
    message: 'x',
  });

  it('spans the word at the column, or the given end', () => {
    assert.deepEqual(spanIn(text, error(2, 7)), { startLine: 2, startColumn: 7, endLine: 2, endColumn: 14 });
    assert.deepEqual(spanIn(text, error(2, 2, 2, 6)), { startLine: 2, startColumn: 2, endLine: 2, endColumn: 6 });
    assert.deepEqual(spanIn(text, error(1, 6)), { startLine: 1, startColumn: 6, endLine: 1, endColumn: 7 });
  });

  it('spans the whole line without a column, and the whole flow without a line', () => {
    assert.deepEqual(spanIn(text, error(1)), { startLine: 1, startColumn: 2, endLine: 1, endColumn: 10 });
    assert.deepEqual(spanIn(text, error()), { startLine: 0, startColumn: 0, endLine: 3, endColumn: 0 });
  });

  it('marks the whole line of an error placed with a line alone', () => {
    const [placed] = placeErrors([{ flow: 'A', line: 2, message: 'x' }], new Map(), ['A']).byFlow.get('A') ?? [];
    assert.deepEqual(spanIn(text, placed), { startLine: 1, startColumn: 2, endLine: 1, endColumn: 10 });
  });

  it('pulls places past the text back into it', () => {
    assert.deepEqual(spanIn(text, error(40, 3)), { startLine: 3, startColumn: 0, endLine: 3, endColumn: 0 });
    assert.deepEqual(spanIn(text, error(0, 99)), { startLine: 0, startColumn: 6, endLine: 0, endColumn: 6 });
    assert.deepEqual(spanIn(text, error(2, 4, 1, 0)), { startLine: 2, startColumn: 4, endLine: 2, endColumn: 6 });
  });
});

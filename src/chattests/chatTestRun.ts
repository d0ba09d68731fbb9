/**
 * Replays a chat test against the Studio as a user who has never talked to the bot, turn by turn, and says of each
 * turn whether the bot answered as expected. A turn that fails stops the test: what follows it was written for a
 * conversation that has already gone elsewhere. A Studio that fails makes the test errored, not failed.
 */
import { BotMessage, botMessage } from '../chat/botMessages';
import { StepPlace } from '../chat/chatTranscript';
import { BoundedRegex } from '../common/boundedRegex';
import { resolveFlow } from '../csml/flowMatch';
import { ChatAnswer, ChatPayload } from '../studio/chat';
import { asStudioError } from '../studio/errors';
import { Flow } from '../studio/schema';
import { answerLines, checkAnswer } from './answerCheck';
import { ChatTest, ChatTurn } from './chatTestFile';
import { runFailure, RunPlace } from './runFailure';

export interface ChatTestDeps {
  chat(userId: string, payload: ChatPayload, signal: AbortSignal): Promise<ChatAnswer>;
  /** Where the user's open conversation stands; undefined when none is open. */
  placeOf(userId: string, signal: AbortSignal): Promise<StepPlace | undefined>;
  /** The bot's flows as deployed, to start one by name and to check the names a test expects. */
  flows(signal: AbortSignal): Promise<readonly Pick<Flow, 'id' | 'name'>[]>;
}

export type TurnStatus = 'passed' | 'failed' | 'errored' | 'skipped';

export interface TurnResult {
  readonly turn: ChatTurn;
  readonly status: TurnStatus;
  /** Why it failed or errored: one sentence or a few. */
  readonly message?: string;
  /** The answer as expected and as sent, when the messages differed. */
  readonly expected?: string;
  readonly actual?: string;
  readonly durationMs: number;
}

export interface ChatTestResult {
  readonly status: 'passed' | 'failed' | 'errored';
  readonly userId: string;
  readonly turns: readonly TurnResult[];
  readonly cancelled: boolean;
}

export interface RunOptions {
  readonly userId: string;
  readonly signal: AbortSignal;
  readonly regex?: BoundedRegex;
  /** Told of each turn as it ends, so a view can show progress. */
  readonly onTurn?: (result: TurnResult) => void;
  readonly now?: () => number;
  /** Where the run happens, for the remedy a Studio failure names; the editor's by default. */
  readonly place?: RunPlace;
}

export async function runChatTest(test: ChatTest, deps: ChatTestDeps, options: RunOptions): Promise<ChatTestResult> {
  if (options.regex) return runTurns(test, deps, options, options.regex);
  // A run given no matcher has its own, ended with the run.
  const regex = new BoundedRegex();
  try {
    return await runTurns(test, deps, options, regex);
  } finally {
    regex.dispose();
  }
}

async function runTurns(test: ChatTest, deps: ChatTestDeps, options: RunOptions, regex: BoundedRegex): Promise<ChatTestResult> {
  const { userId, signal } = options;
  const now = options.now ?? Date.now;
  const results: TurnResult[] = [];
  let previous: readonly BotMessage[] = [];
  let flows: readonly Pick<Flow, 'id' | 'name'>[] | undefined;
  const flowList = async () => (flows ??= await deps.flows(signal));
  let stopped: 'failed' | 'errored' | undefined;

  for (const turn of test.turns) {
    if (stopped || signal.aborted) {
      results.push({ turn, status: 'skipped', durationMs: 0 });
      continue;
    }
    const started = now();
    const end = (status: TurnStatus, details: Partial<TurnResult> = {}) => {
      const result: TurnResult = { turn, status, ...details, durationMs: now() - started };
      results.push(result);
      options.onTurn?.(result);
      if (status === 'failed' || status === 'errored') stopped = status;
    };
    try {
      const payload = await payloadOf(turn, previous, flowList);
      if (typeof payload === 'string') {
        end('failed', { message: payload });
        continue;
      }
      const answer = await deps.chat(userId, payload, signal);
      const messages = answer.messages.map((message) => botMessage(message.contentType, message.content));
      previous = messages;
      const problems: string[] = [];
      let diff: Pick<TurnResult, 'expected' | 'actual'> = {};
      if (turn.expect) {
        const check = await checkAnswer(turn.expect, messages, regex);
        problems.push(...check.problems);
        if (check.problems.length) diff = { expected: check.expected, actual: check.actual };
      }
      if (turn.ended !== undefined && turn.ended !== answer.conversationEnd) {
        problems.push(
          turn.ended ? 'Expected the conversation to end here; it goes on.' : 'The conversation ended here; the test expected it to go on.',
        );
      }
      if (turn.flow !== undefined || turn.step !== undefined) {
        problems.push(...(await placeProblems(turn, answer.conversationEnd ? undefined : await deps.placeOf(userId, signal), flowList)));
      }
      if (problems.length === 0) end('passed');
      else
        end('failed', {
          message: problems.join(' '),
          ...(diff.expected !== undefined ? diff : { actual: answerLines(messages).join('\n') }),
        });
    } catch (error) {
      const studioError = asStudioError(error);
      if (studioError.kind === 'cancelled' || signal.aborted) {
        results.push({ turn, status: 'skipped', durationMs: now() - started });
        continue;
      }
      end('errored', { message: `The Studio failed: ${runFailure(studioError, options.place ?? 'editor')}` });
    }
  }
  const status = stopped ?? 'passed';
  return { status: signal.aborted && status === 'passed' ? 'errored' : status, userId, turns: results, cancelled: signal.aborted };
}

/** What a turn sends, or why it cannot be sent. */
async function payloadOf(
  turn: ChatTurn,
  previous: readonly BotMessage[],
  flows: () => Promise<readonly Pick<Flow, 'id' | 'name'>[]>,
): Promise<ChatPayload | string> {
  const { action } = turn;
  switch (action.kind) {
    case 'text':
      return { content_type: 'text', content: { text: action.text } };
    case 'payload':
      return { content_type: 'payload', content: { payload: action.payload } };
    case 'click': {
      const buttons = previous.flatMap((message) => (message.kind === 'question' ? message.buttons : []));
      const button = buttons.find((candidate) => candidate.title === action.title);
      if (button) return { content_type: 'payload', content: { payload: button.payload } };
      return buttons.length
        ? `The bot's previous answer has no button "${action.title}"; it offered ${buttons.map((b) => `"${b.title}"`).join(', ')}.`
        : `The bot's previous answer has no buttons to click "${action.title}" on.`;
    }
    case 'startFlow': {
      const flow = resolveFlow(action.flow, await flows());
      return flow
        ? { content_type: 'flow_trigger', content: { flow_id: flow.id, close_flows: true } }
        : `The bot has no flow named "${action.flow}"; deploy it, or correct the name.`;
    }
  }
}

async function placeProblems(
  turn: ChatTurn,
  place: StepPlace | undefined,
  flows: () => Promise<readonly Pick<Flow, 'id' | 'name'>[]>,
): Promise<string[]> {
  const where = place ? `${place.flowName ?? place.flowId} · ${place.stepId}` : 'no open conversation';
  if (turn.flow !== undefined) {
    const expected = resolveFlow(turn.flow, await flows());
    if (!expected) return [`The test expects flow "${turn.flow}", which the bot does not have.`];
    if (!place || resolveFlow(place.flowId, [expected]) === undefined)
      return [`Expected the user in flow ${expected.name}, found ${where}.`];
  }
  if (turn.step !== undefined && place?.stepId !== turn.step) return [`Expected the user at step ${turn.step}, found ${where}.`];
  return [];
}

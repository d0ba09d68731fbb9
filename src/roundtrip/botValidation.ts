import type { StudioClient } from '../studio/client';
import type { Bot } from '../studio/schema';
import { withPacedRetry } from '../studio/pacedRetry';
import { LocalFlow, validationRequest } from './validationRequest';
import { ErrorPlaces, placeErrors } from './validationPlaces';

export interface ValidationOutcome {
  readonly valid: boolean;
  readonly places: ErrorPlaces;
  /** How many flows were sent: the deployed ones and those only here. */
  readonly flowsSent: number;
  /** The bot's name in the Studio, to tell the user which bot was checked. */
  readonly botName: string;
}

export interface ValidationOptions {
  readonly signal?: AbortSignal;
  /** Told when the Studio asks to wait before the next request. */
  readonly onWait?: (seconds: number) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Throws when the Studio's bot is not the one the local flows belong to: nothing is sent for validation then. */
  readonly checkBot?: (bot: Bot) => void;
}

/**
 * Validates the local flows with the Studio's engine: the bot as the Studio has it, with the local contents in
 * place of the deployed ones. The deployed flows are read only when `GET /bot` leaves out a content that no
 * local file replaces.
 */
export async function validateWithStudio(
  client: StudioClient,
  local: readonly LocalFlow[],
  options: ValidationOptions = {},
): Promise<ValidationOutcome> {
  const paced = <T>(request: () => Promise<T>) => withPacedRetry(request, options);
  const { bot, raw } = await paced(() => client.getBotDocument(options.signal));
  options.checkBot?.(bot);
  let request = validationRequest(raw, local);
  if (request.missingContent.length > 0) {
    const flows = await paced(() => client.getFlows(options.signal));
    const contents = new Map(flows.flatMap((flow) => (flow.content === undefined ? [] : [[flow.id, flow.content] as const])));
    request = validationRequest(raw, local, contents);
  }
  const answer = await paced(() => client.validateBot(request.body, options.signal));
  const errors = answer.valid ? [] : answer.errors;
  const flowsSent = Array.isArray(request.body.flows) ? request.body.flows.length : 0;
  return {
    valid: answer.valid,
    places: placeErrors(
      errors,
      request.flowNames,
      local.map((flow) => flow.name),
    ),
    flowsSent,
    botName: bot.name,
  };
}

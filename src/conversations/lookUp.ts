import { asStudioError, StudioError } from '../studio/errors';
import { Conversation, Flow } from '../studio/schema';
import { FlowCatalog } from './flowCatalog';
import { ConnectToStudio } from './studioConnection';

export type LookUpOutcome =
  | {
      readonly kind: 'open';
      readonly conversation: Conversation;
      /** Undefined when the flow could not be named: the conversation is still worth showing. */
      readonly flow?: Flow;
      readonly flowError?: StudioError;
    }
  | { readonly kind: 'none' };

export type LookUp = (userId: string, signal?: AbortSignal) => Promise<LookUpOutcome>;

/** Asks the Studio for a user's open conversation, then names its flow from the catalog. */
export function createLookUp(connect: ConnectToStudio, catalog: FlowCatalog): LookUp {
  return async (userId, signal) => {
    const connection = await connect();
    const answer = await connection.client.openConversation(userId, signal);
    if (!answer.hasOpen) return { kind: 'none' };
    const { conversation } = answer;
    try {
      const flow = await catalog.find(connection, conversation.flowId, signal);
      return { kind: 'open', conversation, flow };
    } catch (error) {
      const flowError = asStudioError(error);
      if (flowError.kind === 'cancelled') throw flowError;
      return { kind: 'open', conversation, flowError };
    }
  };
}

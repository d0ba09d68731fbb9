import { StudioClient } from '../studio/client';
import { Flow } from '../studio/schema';
import { ChatTestDeps } from './chatTestRun';

/** What a run needs, from a Studio client and the bot's flows (read once per run, shared by its tests). */
export function studioChatTestDeps(client: StudioClient, flows: () => Promise<readonly Flow[]>): ChatTestDeps {
  return {
    chat: (userId, payload, signal) => client.chat(userId, payload, signal),
    placeOf: async (userId, signal) => {
      const answer = await client.openConversation(userId, signal);
      if (!answer.hasOpen) return undefined;
      const flow = (await flows()).find((candidate) => candidate.id === answer.conversation.flowId);
      return { flowId: answer.conversation.flowId, ...(flow ? { flowName: flow.name } : {}), stepId: answer.conversation.stepId };
    },
    flows: () => flows(),
  };
}

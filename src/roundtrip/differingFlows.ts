import { sameFlowText } from '../csml/sameFlowText';

export interface DeployedFlowText {
  readonly name: string;
  readonly content?: string;
}

/**
 * The deployed flows whose local file says something else, by name, in the bot's order. A flow without a local
 * file, or whose content the Studio did not send, is not counted: there is nothing to compare.
 */
export async function differingFlows(
  deployed: readonly DeployedFlowText[],
  localText: (flowName: string) => Promise<string | undefined>,
): Promise<string[]> {
  const compared = await Promise.all(
    deployed.map(async (flow) => {
      if (flow.content === undefined) return undefined;
      const local = await localText(flow.name);
      return local !== undefined && !sameFlowText(local, flow.content) ? flow.name : undefined;
    }),
  );
  return compared.filter((name): name is string => name !== undefined);
}

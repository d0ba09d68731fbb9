import type { StudioErrorKind } from '../studio/errors';
import { Command, CommandId } from './commandIds';

export interface Remedy {
  readonly command: CommandId;
  readonly title: string;
  /** The codicon and the few words the status bar shows in place of the user's step. */
  readonly icon: string;
  readonly shortLabel: string;
}

/** The command that fixes a failure, where one does: the status bar and the tree rows offer the same click. */
export function remedyFor(kind: StudioErrorKind): Remedy | undefined {
  switch (kind) {
    case 'noCredentials':
    case 'credentialsRejected':
      return { command: Command.setCredentials, title: 'Set API Credentials', icon: 'key', shortLabel: 'set credentials' };
    case 'untrustedOrigin':
      return {
        command: Command.confirmApiOrigin,
        title: 'Trust the Workspace Studio Address',
        icon: 'shield',
        shortLabel: 'confirm Studio address',
      };
    default:
      return undefined;
  }
}

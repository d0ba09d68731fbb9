/**
 * Why a test could not run, said for where it runs: the editor's remedies name its commands and settings, the
 * command line's its environment variables. A run does not retry, so no message promises that it will.
 */
import { StudioError } from '../studio/errors';

export type RunPlace = 'editor' | 'commandLine';

export function runFailure(error: StudioError, place: RunPlace): string {
  const status = error.details.status !== undefined ? ` (HTTP ${error.details.status})` : '';
  if (error.kind === 'rateLimited') return `The Studio is limiting requests${status}; run fewer tests at once, or again in a while.`;
  if (place === 'editor') return error.message;
  switch (error.kind) {
    case 'noCredentials':
    case 'credentialsRejected':
      return `The Studio rejected the API key or secret${status}; check CSML_API_KEY and CSML_API_SECRET (and this machine's clock).`;
    case 'invalidBaseUrl':
    case 'untrustedOrigin':
    case 'redirect':
    case 'malformed':
    case 'tooLarge':
    case 'notFound':
      return `The Studio's answer was not what a chat test expects${status}; check that CSML_API_BASE_URL is the Studio API address (it ends in /v1/api).`;
    case 'timeout':
      return 'The Studio did not answer in time; check the connection to it, then run again.';
    default:
      return error.message;
  }
}

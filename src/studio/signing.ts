import { createHmac } from 'node:crypto';

export interface Credentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface SignedHeaders {
  readonly 'X-Api-Key': string;
  readonly 'X-Api-Signature': string;
}

/**
 * Signs one private request. The Studio rejects a timestamp a few minutes old, so every request
 * must be signed afresh: never cache the result.
 */
export function signRequest(credentials: Credentials, unixSeconds: number): SignedHeaders {
  const keyHeader = `${credentials.apiKey}|${Math.floor(unixSeconds)}`;
  const signature = createHmac('sha256', Buffer.from(credentials.apiSecret, 'utf8')).update(keyHeader, 'utf8').digest('hex');
  return { 'X-Api-Key': keyHeader, 'X-Api-Signature': `sha256=${signature}` };
}

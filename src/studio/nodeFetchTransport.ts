import * as http from 'node:http';
import * as https from 'node:https';
import fetch from 'node-fetch';
import { Fetch, HttpResponse } from './http';

/**
 * The production transport: node-fetch over keep-alive agents, so polling reuses one connection
 * instead of a TLS handshake per request. VS Code's proxy support hooks Node's http modules, which
 * node-fetch uses, so `http.proxy` applies.
 */
export function createNodeFetch(): { fetch: Fetch; dispose(): void } {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  const transport: Fetch = async (url, init) => {
    const response = await fetch(url, {
      ...init,
      agent: (parsed: URL) => (parsed.protocol === 'http:' ? httpAgent : httpsAgent),
    });
    return response as unknown as HttpResponse;
  };
  return {
    fetch: transport,
    dispose: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Fetch, HttpResponse } from './http';

type NodeFetch = typeof import('node-fetch').default;
let nodeFetch: NodeFetch | undefined;

/**
 * node-fetch is loaded at the first request, not when VS Code starts the extension: it is a third of
 * the code, and activation should parse only what it runs (the build ships it as a file of its own).
 */
function loadNodeFetch(): NodeFetch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (nodeFetch ??= (require('node-fetch') as typeof import('node-fetch')).default);
}

/**
 * The production transport: node-fetch over keep-alive agents, so polling reuses one connection
 * instead of a TLS handshake per request. VS Code's proxy support hooks Node's http modules, which
 * node-fetch uses, so `http.proxy` applies.
 */
export function createNodeFetch(): { fetch: Fetch; dispose(): void } {
  // Made at the first request to each protocol, like node-fetch itself.
  let httpAgent: HttpAgent | undefined;
  let httpsAgent: HttpsAgent | undefined;
  const agentFor = (parsed: URL) =>
    parsed.protocol === 'http:'
      ? (httpAgent ??= new HttpAgent({ keepAlive: true, maxSockets: 8 }))
      : (httpsAgent ??= new HttpsAgent({ keepAlive: true, maxSockets: 8 }));
  const transport: Fetch = async (url, init) => {
    const response = await loadNodeFetch()(url, { ...init, agent: agentFor });
    return response as unknown as HttpResponse;
  };
  return {
    fetch: transport,
    dispose: () => {
      httpAgent?.destroy();
      httpsAgent?.destroy();
    },
  };
}

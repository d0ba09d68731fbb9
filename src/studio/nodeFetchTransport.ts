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
  // Made at the first request that needs each, so activation builds neither.
  let httpAgent: HttpAgent | undefined;
  let httpsAgent: HttpsAgent | undefined;
  let disposed = false;
  const agentFor = (parsed: URL) =>
    parsed.protocol === 'http:'
      ? (httpAgent ??= new HttpAgent({ keepAlive: true, maxSockets: 8 }))
      : (httpsAgent ??= new HttpsAgent({ keepAlive: true, maxSockets: 8 }));
  const transport: Fetch = async (url, init) => {
    // After dispose (the extension is stopping) a late request would leave an agent behind.
    if (disposed) throw new Error('The connection to the Studio was closed.');
    const response = await loadNodeFetch()(url, { ...init, agent: agentFor });
    return response as unknown as HttpResponse;
  };
  return {
    fetch: transport,
    dispose: () => {
      disposed = true;
      httpAgent?.destroy();
      httpsAgent?.destroy();
    },
  };
}

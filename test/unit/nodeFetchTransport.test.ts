import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { createNodeFetch } from '../../src/studio/nodeFetchTransport';
import { readBodyCapped } from '../../src/studio/http';

describe('createNodeFetch', () => {
  let server: http.Server;
  let connections: number;
  let requests: number;
  let url: string;

  beforeEach(async () => {
    connections = 0;
    requests = 0;
    server = http.createServer((request, response) => {
      requests++;
      request.resume();
      request.on('end', () => response.end(JSON.stringify({ n: requests })));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/api/conversations/open`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = (fetch: ReturnType<typeof createNodeFetch>['fetch']) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"user_id":"alice"}',
      signal: new AbortController().signal,
      redirect: 'manual',
    });

  it('sends consecutive requests over one kept-alive connection', async () => {
    const transport = createNodeFetch();
    try {
      for (let i = 1; i <= 3; i++) {
        const response = await post(transport.fetch);
        assert.equal(response.status, 200);
        assert.deepEqual(JSON.parse(String(await readBodyCapped(response.body, 1024))), { n: i });
      }
      assert.equal(connections, 1);
    } finally {
      transport.dispose();
    }
  });

  it('refuses to send once disposed, so no agent outlives the extension', async () => {
    const transport = createNodeFetch();
    await readBodyCapped((await post(transport.fetch)).body, 1024);
    transport.dispose();
    await assert.rejects(post(transport.fetch), /closed/);
    assert.equal(requests, 1);
  });
});

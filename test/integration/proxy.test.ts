import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { sampleEmulatorOptions } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, waitFor } from './support';

/**
 * A small forward proxy: plain requests by absolute URL, and CONNECT tunnels; it records what
 * passed. It reaches every 127.x.y.z address on 127.0.0.1, where the emulator listens, so a request
 * that bypassed it (to 127.0.0.2) would fail.
 */
function startProxy(): Promise<{ server: http.Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host.startsWith('127.') ? '127.0.0.1' : host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, seen })),
  );
}

describe('behind a proxy (http.proxy)', function () {
  this.timeout(30_000);
  const emulator = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  before(async () => {
    await emulator.start();
    proxy = await startProxy();
    // VS Code never sends "localhost" or 127.0.0.1 through a proxy; any other loopback address it does.
    await setSetting('apiBaseUrl', emulator.baseUrl.replace('127.0.0.1', '127.0.0.2'));
    await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await setSetting('apiBaseUrl', undefined);
    await emulator.stop();
    await new Promise((resolve) => proxy.server.close(resolve));
  });

  it('sends the Studio requests through the proxy VS Code is configured with', async () => {
    proxy.seen.length = 0;
    const state = await vscode.commands.executeCommand<{ kind: string }>('csml.lookUpConversation', 'bob');
    assert.equal(state?.kind, 'open');
    await waitFor('the request at the proxy', () => proxy.seen.some((line) => line.includes('/v1/api/conversations/open')));
    assert.ok(emulator.requests.some((r) => r.path === '/conversations/open'));
  });
});

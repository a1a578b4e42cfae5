import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { KubeHttp } from './kube-http';
import { kubeConfigFor } from './kube.testing';
import type { KubeClient } from './kube-client';
import { watchResource } from './watch-resource';

const CORE = { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list', 'watch'] }] };
const LISTED = { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 'settings', namespace: 'team', resourceVersion: '7' }, data: { a: '1' } }] };

/**
 * An API server that leaves its first list unanswered (a kept-alive connection to a node
 * that failed over), then answers lists, and holds watches open without events.
 */
async function serverLeavingFirstListUnanswered() {
  const sockets: Socket[] = [];
  const lists: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/v1') return json(CORE);
    if (url.pathname !== '/api/v1/namespaces/team/configmaps') return res.writeHead(404).end();
    if (url.searchParams.get('watch') === 'true') return res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders();
    lists.push(Date.now());
    if (lists.length > 1) json(LISTED);
  });
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${port}`, lists, close };
}

describe('watchResource when a list gets no answer', () => {
  it('lists again after a backoff and goes on, rather than ending the watch', async () => {
    const api = await serverLeavingFirstListUnanswered();
    const config = kubeConfigFor(api.url);
    // A request bound of 2 s, not 0.3 s: every other request is answered by this process's own
    // server, which a loaded machine can keep waiting that long (a list timed out twice is listed three times).
    const http = KubeHttp.forConfig(config, 2_000);
    const client: KubeClient = { context: 'api', config, http, close: () => http.close() };
    const stop = new AbortController();
    const seen: string[] = [];
    try {
      for await (const event of watchResource(client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team' }, { signal: stop.signal, backoff: { baseDelayMs: 50, maxDelayMs: 200 } })) {
        seen.push(event.type === 'SYNCED' ? `SYNCED ${event.resourceVersion}` : `${event.type} ${event.object.metadata.name}`);
        if (event.type === 'SYNCED') stop.abort();
      }
      expect(seen).toEqual(['ADDED settings', 'SYNCED 7']);
      expect(api.lists).toHaveLength(2);
    } finally {
      stop.abort();
      await http.close();
      await api.close();
    }
  });
});

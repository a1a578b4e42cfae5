import { createServer, type Server, type Socket } from 'node:net';
import { KubeHttp } from './kube-http';
import { kubeConfigFor } from './kube.testing';

/** An API server that takes connections and requests and never answers one. */
async function silentServer(): Promise<{ server: Server; url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => { sockets.push(socket); socket.resume(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}`, sockets };
}

describe('KubeHttp against an API server that never answers', () => {
  it('gives up after its bound with a transient failure that names the request, so the caller retries later', async () => {
    const silent = await silentServer();
    const http = KubeHttp.forConfig(kubeConfigFor(silent.url), 300);
    try {
      const result = await http.send({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/settings' });
      expect(result).toEqual({
        ok: false,
        error: { kind: 'transient', timedOut: true, message: 'the Kubernetes API server did not answer GET /api/v1/namespaces/default/configmaps/settings within 0.3 s' },
      });
      expect(silent.sockets.length).toBeGreaterThan(0);
    } finally {
      await http.close();
      for (const socket of silent.sockets) socket.destroy();
      await new Promise((resolve) => silent.server.close(resolve));
    }
  });
});

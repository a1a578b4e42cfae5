import { createServer, connect, type Server, type Socket } from 'node:net';
import { createTestDatabase, eventually } from '@slipway/testing';
import { Leadership } from './leader';

/**
 * A TCP relay to Postgres that can go silent: its sockets stay open but pass nothing on,
 * as a connection does whose far end vanished (a machine lost, a network cut).
 */
async function silenceableProxy(target: URL): Promise<{ url: string; silence(): void; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  let silent = false;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.push(client, upstream);
    client.on('data', (chunk) => { if (!silent) upstream.write(chunk); });
    upstream.on('data', (chunk) => { if (!silent) client.write(chunk); });
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    silence: () => { silent = true; },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('leadership (an advisory lock on a connection of its own)', () => {
  let url: string;
  beforeAll(async () => { url = await createTestDatabase(); });

  it('is given up by a leader whose connection goes silent, rather than held on to for good', async () => {
    const proxy = await silenceableProxy(new URL(url));
    // Answers allowed 5 s (the default), not 0.3 s: a loaded machine can take longer than that
    // to connect and answer while the proxy still forwards; a silent one never answers at all.
    const leadership = new Leadership(proxy.url, 'silent-leader', { checkEveryMs: 0, answerWithinMs: 5_000 });
    try {
      expect(await leadership.tryAcquire()).toBe(true);
      expect(await leadership.tryAcquire()).toBe(true);
      proxy.silence();
      await expect(leadership.tryAcquire()).rejects.toThrow();
      await leadership.release();
      expect(leadership.held).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('is let go by the server when its holder stops asking (its process stopped, its connection up), so another candidate leads', async () => {
    // given a leader whose process then stops: it asks nothing more of its connection
    // Silence allowed 5 s, not 1 s: the other candidate's first try (a new connection) must come
    // within it, and a loaded machine can take longer than a second for one.
    const stopped = new Leadership(url, 'stopped-leader', { releaseAfterSilentMs: 5_000 });
    const other = new Leadership(url, 'stopped-leader');
    try {
      expect(await stopped.tryAcquire()).toBe(true);
      expect(await other.tryAcquire()).toBe(false);
      // then the other candidate leads once the server has ended the silent connection
      await eventually(async () => expect(await other.tryAcquire()).toBe(true), 30_000, 200);
      // and the stopped one, going on, is no longer the leader
      expect(stopped.held).toBe(false);
      expect(await stopped.tryAcquire()).toBe(false);
    } finally {
      await stopped.release();
      await other.release();
    }
  });
});

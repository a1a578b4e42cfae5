import { createServer, connect, type Server, type Socket } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { migrate } from '@slipway/event-log';
import { createTestDatabase, eventually } from '@slipway/testing';
import { untilReachable } from './until-reachable';

/** What the service logs while it waits (the thing under test is the waiting, on a real Postgres). */
function recordingLog(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: () => undefined, error: () => undefined, warn: (message: string) => void lines.push(message) };
}

/** A free port, then a TCP forwarder there to `target` once asked: Postgres appearing where a service looks for it. */
async function laterProxy(target: URL): Promise<{ port: number; open(): Promise<void>; close(): void }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  let server: Server | undefined;
  const sockets: Socket[] = [];
  return {
    port,
    open: () => new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        sockets.push(client, upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', resolve);
    }),
    close: () => { for (const socket of sockets) socket.destroy(); server?.close(); },
  };
}

describe('untilReachable', () => {
  it('waits for a Postgres that is not there yet, saying so, and goes on once it answers', async () => {
    const url = new URL(await createTestDatabase());
    const proxy = await laterProxy(url);
    const log = recordingLog();
    try {
      // given a service migrating against a port nothing listens on yet
      const viaProxy = new URL(url);
      viaProxy.port = String(proxy.port);
      const started = untilReachable('Postgres', () => migrate(viaProxy.toString()), log);
      await eventually(() => expect(log.lines.length).toBeGreaterThan(0), 10_000, 50);
      // when Postgres appears there
      await proxy.open();
      // then the migrations run, and the wait was said in the log
      expect(await started).toContain('001-event-log');
      expect(log.lines[0]).toMatch(/^Postgres is not reachable \(.*ECONNREFUSED.*\); trying again in 0.2 s$/);
    } finally {
      proxy.close();
    }
  }, 60_000);

  it('fails at once for what waiting cannot mend (a database that does not exist)', async () => {
    const url = new URL(await createTestDatabase());
    url.pathname = '/no_such_database';
    const log = recordingLog();
    await expect(untilReachable('Postgres', () => migrate(url.toString()), log)).rejects.toThrow(/does not exist/);
    expect(log.lines).toEqual([]);
  });

  it('waits for a Postgres that takes connections and never answers (stopped, not gone), saying so, rather than hanging', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const log = recordingLog();
    let attempts = 0;
    try {
      const { port } = silent.address() as { port: number };
      // The second attempt ends the wait with a failure of another kind, so the test ends.
      const started = untilReachable('Postgres', async () => {
        if (++attempts > 1) throw new Error('enough');
        return migrate(`postgres://slipway@127.0.0.1:${port}/slipway`);
      }, log);
      await expect(started).rejects.toThrow('enough');
      expect(log.lines).toEqual([expect.stringMatching(/^Postgres is not reachable \(timeout expired\); trying again in/)]);
    } finally {
      silent.close();
    }
  }, 30_000);
});

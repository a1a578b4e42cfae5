import { createServer } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { migrate } from '@slipway/event-log';
import { createTestDatabase, eventually, laterProxy, natsUrl } from '@slipway/testing';
import { connectWhenReachable, untilReachable } from './until-reachable';

/** What the service logs while it waits (the thing under test is the waiting, on a real Postgres). */
function recordingLog(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: () => undefined, error: () => undefined, warn: (message: string) => void lines.push(message) };
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

describe('connectWhenReachable', () => {
  it('waits for a NATS that is not there yet (restarting), saying so, and connects once it answers, rather than failing the start (chaos probe: each service exited)', async () => {
    const proxy = await laterProxy(new URL(natsUrl()));
    const log = recordingLog();
    try {
      // given a service connecting to a port nothing listens on yet
      const connecting = connectWhenReachable({ url: `nats://127.0.0.1:${proxy.port}`, prefix: 'reach' }, log);
      await eventually(() => expect(log.lines.length).toBeGreaterThan(0), 10_000, 50);
      // when NATS appears there, the connection is made, and the wait was said in the log
      await proxy.open();
      const bus = await connecting;
      expect(bus.subject('x')).toBe('reach.x');
      await bus.close();
      expect(log.lines[0]).toMatch(/^NATS is not reachable \(.*\); trying again in/);
    } finally {
      proxy.close();
    }
  }, 60_000);
});

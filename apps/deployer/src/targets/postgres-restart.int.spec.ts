import 'reflect-metadata';
import { join } from 'node:path';
import { Bus, CommandBus } from '@slipway/bus';
import { CreateTarget } from '@slipway/contracts';
import { startPostgres, type RunningPostgres } from '@slipway/local-stack';
import type { RunningService } from '@slipway/runtime';
import { eventually, natsUrl, scratchDir, testBusPrefix } from '@slipway/testing';
import { startDeployer } from '../service';

const actor = { principal: 'tester', kind: 'token' as const };

// A Postgres of this file's own, so stopping it disturbs no other test file.
describe('a Postgres restart while commands arrive', () => {
  let pg: RunningPostgres;
  let service: RunningService;
  let bus: Bus;
  const dir = scratchDir('pg-restart');

  beforeAll(async () => {
    pg = await startPostgres({ dataDir: join(dir, 'data'), durable: false });
    const prefix = testBusPrefix();
    service = await startDeployer({ databaseUrl: pg.url, natsUrl: natsUrl(), busPrefix: prefix });
    bus = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await bus.close();
    await service.close();
    await pg.stop();
  });

  it('keeps the commands sent while the database was down and handles each once it is back', async () => {
    const commands = new CommandBus(bus, 100);
    const send = (i: number) => commands.send(CreateTarget, { namespace: 'pg', name: `t${i}`, labels: {}, annotations: {}, kubernetesNamespace: null }, { actor, commandId: `pg-${i}` });
    await pg.stop();
    // Accepted by JetStream, not answerable yet: 202s.
    const whileDown = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i)));
    expect(whileDown.map((r) => (r.status === 'completed' ? r.reply : r.status))).toEqual(Array(10).fill('accepted'));

    pg = await startPostgres({ dataDir: join(dir, 'data'), port: pg.port, durable: false });
    await eventually(async () => {
      const { rows } = await service.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM command_outcomes WHERE command_id LIKE 'pg-%'");
      expect(rows[0]!.n).toBe(10);
    }, 60_000, 250);
    const { rows } = await service.pool.query<{ n: number; streams: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT stream_id)::int AS streams FROM events WHERE stream_id LIKE 'target-pg/%'",
    );
    expect(rows[0]).toEqual({ n: 10, streams: 10 });
  });
});

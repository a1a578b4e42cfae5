import 'reflect-metadata';
import { join } from 'node:path';
import { Bus, CommandBus } from '@slipway/bus';
import { DatabaseConnection } from '@slipway/contracts';
import { startPostgres, type RunningPostgres } from '@slipway/local-stack';
import type { RunningService } from '@slipway/runtime';
import { natsUrl, scratchDir, testBusPrefix } from '@slipway/testing';
import { startConfigStore } from '../service';

// A Postgres of this file's own, so stopping it disturbs no other test file.
describe('the database connection check (database/connection)', () => {
  let pg: RunningPostgres;
  let service: RunningService;
  let bus: Bus;
  const dir = scratchDir('db-connection');

  beforeAll(async () => {
    pg = await startPostgres({ dataDir: join(dir, 'data'), durable: false });
    const prefix = testBusPrefix();
    service = await startConfigStore({ databaseUrl: pg.url, natsUrl: natsUrl(), busPrefix: prefix });
    bus = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await bus.close();
    await service.close();
    await pg.stop();
  });

  it('answers whether the database answers now: not while it is stopped, again once it is back', async () => {
    const commands = new CommandBus(bus);
    const check = async () => {
      const reply = await commands.query(DatabaseConnection, {});
      return reply.ok ? reply.value.ok : reply.error;
    };
    expect(await check()).toBe(true);
    await pg.stop();
    expect(await check()).toBe(false);
    pg = await startPostgres({ dataDir: join(dir, 'data'), port: pg.port, durable: false });
    expect(await check()).toBe(true);
  });
});

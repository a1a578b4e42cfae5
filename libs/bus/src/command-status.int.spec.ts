import { randomUUID } from 'node:crypto';
import { TimeoutError } from '@nats-io/nats-core';
import { createPool, migrate } from '@slipway/event-log';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import type { Pool } from 'pg';
import { Bus } from './bus';
import { commandStatus } from './command-status';
import { ensureStreams } from './streams';
import { isTransient } from './transient';

/**
 * A status read while NATS restarts (JetStream not answering the read of the 202 records) is a
 * dependency down, which the query answers "retry shortly", not a failure of the query (a
 * probe saw telemetry log it as an error, and the query answered "internal").
 */
describe('a command\'s status while JetStream does not answer', () => {
  let bus: Bus;
  let db: Pool;

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    db = createPool(url);
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    await ensureStreams(bus);
  });
  afterAll(async () => {
    await bus?.close();
    await db?.end();
  });

  it('is refused as a dependency down, saying what could not be read', async () => {
    const read = jest.spyOn(bus.jsm.streams, 'getMessage').mockRejectedValue(new TimeoutError());
    try {
      const failure = await commandStatus(db, bus, randomUUID()).then(() => undefined, (error: unknown) => error);
      expect(isTransient(failure)).toBe(true);
      expect((failure as Error).message).toContain('the record of the commands answered 202 could not be read');
    } finally {
      read.mockRestore();
    }
    // and with JetStream back, an unknown id reads as unknown
    expect((await commandStatus(db, bus, randomUUID())).status).toBe('unknown');
  });
});

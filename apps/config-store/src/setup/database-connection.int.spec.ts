import 'reflect-metadata';
import { CommandBus } from '@slipway/bus';
import { DatabaseConnection } from '@slipway/contracts';
import { serviceOnOwnPostgres } from '@slipway/testing/own-postgres';
import { startConfigStore } from '../service';

// A Postgres of this file's own, so stopping it disturbs no other test file.
describe('the database connection check (database/connection)', () => {
  const own = serviceOnOwnPostgres('db-connection', startConfigStore);

  it('answers whether the database answers now: not while it is stopped, again once it is back', async () => {
    const commands = new CommandBus(own.bus);
    const check = async () => {
      const reply = await commands.query(DatabaseConnection, {});
      return reply.ok ? reply.value.ok : reply.error;
    };
    expect(await check()).toBe(true);
    await own.pg.stop();
    expect(await check()).toBe(false);
    await own.restartPostgres();
    expect(await check()).toBe(true);
  });
});

import 'reflect-metadata';
import { Bus, CommandBus } from '@slipway/bus';
import { CreateTarget } from '@slipway/contracts';
import { eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { serviceOnOwnPostgres } from '@slipway/testing/own-postgres';
import { startDeployer } from '../service';

const actor = { principal: 'tester', kind: 'token' as const };

// A Postgres of this file's own, so stopping it disturbs no other test file.
describe('a Postgres restart while commands arrive', () => {
  const own = serviceOnOwnPostgres('pg-restart', startDeployer);

  it('keeps the commands sent while the database was down and handles each once it is back', async () => {
    const commands = new CommandBus(own.bus, 100);
    const send = (i: number) => commands.send(CreateTarget, { namespace: 'pg', name: `t${i}`, labels: {}, annotations: {}, kubernetesNamespace: null }, { actor, commandId: `pg-${i}` });
    await own.pg.stop();
    // Accepted by JetStream, not answerable yet: 202s.
    const whileDown = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i)));
    expect(whileDown.map((r) => (r.status === 'completed' ? r.reply : r.status))).toEqual(Array(10).fill('accepted'));

    await own.restartPostgres();
    await eventually(async () => {
      const { rows } = await own.service.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM command_outcomes WHERE command_id LIKE 'pg-%'");
      expect(rows[0]!.n).toBe(10);
    }, 60_000, 250);
    const { rows } = await own.service.pool.query<{ n: number; streams: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT stream_id)::int AS streams FROM events WHERE stream_id LIKE 'target-pg/%'",
    );
    expect(rows[0]).toEqual({ n: 10, streams: 10 });
  });

  it('retries through an outage longer than its retry schedule: nothing is dead-lettered, each command is handled once', async () => {
    // A deployer that would dead-letter a failing command at its second delivery (a bug's
    // treatment): an outage is not a bug, and must not count.
    const prefix = testBusPrefix();
    const strict = await startDeployer({ databaseUrl: own.pg.url, natsUrl: natsUrl(), busPrefix: prefix, maxDeliveries: 2 });
    const strictBus = await Bus.connect({ url: natsUrl(), prefix });
    try {
      const commands = new CommandBus(strictBus, 100);
      await own.pg.stop();
      const sent = await Promise.all(Array.from({ length: 5 }, (_, i) => commands.send(CreateTarget, { namespace: 'outage', name: `t${i}`, labels: {}, annotations: {}, kubernetesNamespace: null }, { actor, commandId: `outage-${i}` })));
      expect(sent.map((r) => r.status)).toEqual(Array(5).fill('accepted'));
      // All five are delivered and held while the database is down, for longer than the first
      // two retry delays (0.2 + 1 s) of a failing command, and none is delivered again.
      const consumer = () => strictBus.jsm.consumers.info(strictBus.stream('COMMANDS'), 'deployer-commands');
      await eventually(async () => expect(await consumer()).toMatchObject({ num_ack_pending: 5, num_pending: 0 }));
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await consumer()).toMatchObject({ num_ack_pending: 5, num_redelivered: 0, delivered: expect.objectContaining({ consumer_seq: 5 }) });
      await own.restartPostgres();
      await eventually(async () => {
        const { rows } = await strict.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM command_outcomes WHERE command_id LIKE 'outage-%'");
        expect(rows[0]!.n).toBe(5);
      }, 60_000, 250);
      const { rows } = await strict.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'target-outage/%'");
      expect(rows[0]!.n).toBe(5);
      const deadLetters = await strictBus.jsm.streams.info(strictBus.stream('DEADLETTER'));
      expect(deadLetters.state.messages).toBe(0);
      expect(await consumer()).toMatchObject({ num_ack_pending: 0, num_redelivered: 0, delivered: expect.objectContaining({ consumer_seq: 5 }) });
    } finally {
      await strictBus.close();
      await strict.close();
    }
  });
});

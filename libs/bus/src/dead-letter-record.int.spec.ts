import 'reflect-metadata';
import { findOutcome } from '@slipway/event-log';
import { eventually } from '@slipway/testing';
import { serviceOnOwnPostgres } from '@slipway/testing/own-postgres';
import { CommandBus } from './command-bus';
import { ProbeBroken, ProbeUnhandled, startProbe } from './probe.testing';

const actor = { principal: 'tester', kind: 'token' as const };

// A Postgres of this file's own, so stopping it disturbs no other test file.
describe('a command dead-lettered while its refusal cannot be recorded', () => {
  const own = serviceOnOwnPostgres('dead-letter-record', ({ databaseUrl, natsUrl, busPrefix }) => startProbe({ natsUrl, prefix: busPrefix, databaseUrl, maxDeliveries: 3 }));
  const filed = async () => {
    const subject = own.bus.subject(`dead.${ProbeBroken.subject}`);
    return (await own.bus.jsm.streams.info(own.bus.stream('DEADLETTER'), { subjects_filter: subject })).state.subjects?.[subject] ?? 0;
  };
  /** The outcome recorded for the command, once there is one. */
  const recordedOutcome = (commandId: string) => eventually(async () => {
    const found = await findOutcome(own.service.pool, commandId);
    expect(found).toBeDefined();
    return found!;
  }, 30_000, 200);
  const held = async () => {
    const info = await own.bus.jsm.consumers.info(own.bus.stream('COMMANDS'), 'probe-commands');
    return info.num_pending + info.num_ack_pending;
  };

  it('is not let go during a database outage, and is recorded as refused and filed once when the database is back', async () => {
    // given the database down, and a command whose handler fails on every delivery (without the database)
    await own.pg.stop();
    const commandId = 'dead-in-outage';
    await new CommandBus(own.bus).send(ProbeBroken, {}, { actor, commandId, waitMs: 0 });
    // when its three deliveries are spent, and its refusal cannot be recorded
    await eventually(() => expect(own.service.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]), 20_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // then JetStream still holds it, not yet filed (let go, it would stay "pending" for good)
    expect(await held()).toBe(1);
    expect(await filed()).toBe(0);
    // and once the database is back, its refusal is its outcome, it is filed once, and let go
    await own.restartPostgres();
    const outcome = await recordedOutcome(commandId);
    expect(outcome.reply).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('dead-letter stream') } });
    await eventually(async () => expect({ filed: await filed(), held: await held() }).toEqual({ filed: 1, held: 0 }), 10_000, 100);
    // and the handler never ran again
    expect(own.service.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]);
  });

  it('records why a command nobody in this version handles was let go, also when the database was down at its last delivery', async () => {
    await own.pg.stop();
    const commandId = 'unhandled-in-outage';
    await new CommandBus(own.bus).send(ProbeUnhandled, {}, { actor, commandId, waitMs: 0 });
    // its deliveries spent (retried in case another version takes it) while the database is down
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await own.restartPostgres();
    const outcome = await recordedOutcome(commandId);
    // then its outcome says why, as it would had the database been up, not a bare failure
    expect(outcome.reply).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('is not handled by this version of the probe') } });
  });
});

import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { findOutcome } from '@slipway/event-log';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { ProbeFlaky, startProbe, type RunningProbe } from './probe.testing';

const actor = { principal: 'tester', kind: 'token' as const };

/**
 * In a rolling upgrade, an instance of the version before whose projection a newer one
 * rebuilt may no longer write: the commands it took go back to the stream, and it takes no
 * more, so that the newer instances are given them all.
 */
describe('an instance whose projection a newer version rebuilt', () => {
  const prefix = testBusPrefix();
  let databaseUrl: string;
  let bus: Bus;
  const running: RunningProbe[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    bus = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    for (const probe of running) await probe.close();
    await bus.close();
  });

  it('hands back what it took, takes no more, and a newer instance does it all', async () => {
    const commands = new CommandBus(bus);
    const send = (commandId: string) => commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 0 });
    // given an older instance alone, which takes a command and is refused its writers' turn
    const older = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl, olderRules: true });
    running.push(older);
    const first = randomUUID();
    await send(first);
    await eventually(() => expect(older.recorder.deliveries.get(first)).toEqual([1]), 10_000, 50);
    // when a newer instance starts, and more commands come
    const newer = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl });
    running.push(newer);
    const later = Array.from({ length: 10 }, () => randomUUID());
    for (const commandId of later) await send(commandId);
    // then the newer instance does every one, the handed-back one too
    for (const commandId of [first, ...later]) {
      await eventually(async () => expect(await findOutcome(newer.pool, commandId)).toMatchObject({ reply: { ok: true } }), 20_000, 100);
    }
    // and the older one took none of the later ones
    expect(later.filter((commandId) => older.recorder.deliveries.has(commandId))).toEqual([]);
  });
});

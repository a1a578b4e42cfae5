import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { ProbeFlaky, startProbe, type RunningProbe } from './probe.testing';

const actor = { principal: 'tester', kind: 'service' as const };

/** A service's bound on commands in flight holds across a burst: the rest wait in JetStream, none is lost. */
describe('commands in flight (inFlight)', () => {
  let probe: RunningProbe;
  let bus: Bus;
  beforeAll(async () => {
    const prefix = testBusPrefix();
    probe = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl: await createTestDatabase(), inFlight: 3 });
    bus = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await bus?.close();
    await probe?.close();
  });

  it('delivers no more than the bound at once, and the rest once those are settled', async () => {
    // given seven commands whose handlers are held once they start
    const ids = Array.from({ length: 7 }, (_, i) => `burst-${i}`);
    const releases = ids.map((id) => probe.recorder.hold(id));
    const commands = new CommandBus(bus);
    for (const commandId of ids) await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 0 });
    // then three are taken and four wait in the stream
    const consumer = () => bus.jsm.consumers.info(bus.stream('COMMANDS'), 'probe-commands');
    await eventually(async () => expect(await consumer()).toMatchObject({ num_ack_pending: 3, num_pending: 4 }));
    await eventually(() => expect(probe.recorder.deliveries.size).toBe(3));
    // when they are let go, every command is handled, once
    for (const release of releases) release();
    await eventually(() => expect([...probe.recorder.deliveries.keys()].sort()).toEqual([...ids].sort()), 30_000);
    await eventually(async () => expect(await consumer()).toMatchObject({ num_ack_pending: 0, num_pending: 0 }));
    expect([...probe.recorder.deliveries.values()].every((deliveries) => deliveries.length === 1)).toBe(true);
  });
});

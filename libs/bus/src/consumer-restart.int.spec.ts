import { randomUUID } from 'node:crypto';
import type { Actor } from '@slipway/contracts';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { ProbeFlaky, startProbe, type RunningProbe } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * A service whose durable command consumer is deleted (an operator's `nats consumer rm`, a
 * stream made again) would otherwise look for it for good, taking no command while it
 * answers queries as if healthy.
 */
describe('a command consumer deleted while its service runs', () => {
  let probe: RunningProbe;
  let bus: Bus;

  beforeAll(async () => {
    const prefix = testBusPrefix();
    probe = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl: await createTestDatabase() });
    bus = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await bus?.close();
    await probe?.close();
  });

  it('is made again, and the commands sent meanwhile are handled', async () => {
    const commands = new CommandBus(bus);
    expect(await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId: randomUUID(), waitMs: 5_000 })).toMatchObject({ status: 'completed' });
    // when the consumer is deleted, and a command is sent
    await bus.jsm.consumers.delete(bus.stream('COMMANDS'), 'probe-commands');
    const sent = await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId: randomUUID(), waitMs: 20_000 });
    // then the service has made the consumer again and answered the command
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: true } });
    await eventually(async () => expect(await bus.jsm.consumers.info(bus.stream('COMMANDS'), 'probe-commands')).toMatchObject({ num_pending: 0, num_ack_pending: 0 }));
  });
});

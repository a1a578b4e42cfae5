import { AckPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { command } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { ensureConsumer } from './ensure-consumer';

// The consumer's filter must reach a subject COMMANDS takes: one a contract defines.
command('cmd.ensuretest.x.v1', z.object({}));

/** A service started on data an earlier version made: its durable consumer is brought up to date. */
describe('ensureConsumer (real JetStream)', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(() => bus?.close());

  it('updates a durable that an earlier version created with other settings, and is idempotent', async () => {
    const stream = bus.stream('COMMANDS');
    const base = { durable_name: 'ensuretest-commands', ack_policy: AckPolicy.Explicit, filter_subject: bus.subject('cmd.ensuretest.>'), ack_wait: nanos(30_000) };
    // given the consumer as the previous version created it (a server-side delivery bound)
    await bus.jsm.consumers.add(stream, { ...base, max_deliver: 6, max_ack_pending: 1000 });
    // when this version ensures it without the bound
    const updated = await ensureConsumer(bus, stream, { ...base, max_deliver: -1, max_ack_pending: 1000 });
    // then the durable has the new setting, and ensuring it again changes nothing
    expect(updated.config.max_deliver).toBe(-1);
    expect((await ensureConsumer(bus, stream, { ...base, max_deliver: -1, max_ack_pending: 1000 })).config.max_deliver).toBe(-1);
    expect((await bus.jsm.consumers.info(stream, 'ensuretest-commands')).config.max_deliver).toBe(-1);
  });

  it('still fails for anything but an existing durable', async () => {
    await expect(ensureConsumer(bus, `${bus.stream('COMMANDS')}_MISSING`, { durable_name: 'x', ack_policy: AckPolicy.Explicit })).rejects.toThrow(/stream not found/i);
  });
});

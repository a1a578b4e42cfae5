import { AckPolicy } from '@nats-io/jetstream';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { CommandPurger } from './command-purger';

/** Settled commands leave COMMANDS in bulk; an unsettled one stays, whatever its position. */
describe('CommandPurger (real JetStream)', () => {
  let bus: Bus;
  const durable = 'purgetest-commands';

  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    await bus.jsm.consumers.add(bus.stream('COMMANDS'), { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: bus.subject('cmd.purgetest.>') });
  });
  afterAll(() => bus?.close());

  const stored = async (subject: string) => (await bus.jsm.streams.info(bus.stream('COMMANDS'), { subjects_filter: bus.subject(subject) })).state.subjects ?? {};

  it('purges what the consumer settled up to its ack floor, keeps the rest and other services\' commands', async () => {
    // given four commands for the service and one for another service
    for (const n of [1, 2, 3, 4]) await bus.js.publish(bus.subject(`cmd.purgetest.c${n}`), new TextEncoder().encode('{}'), { msgID: `purge-${n}-${bus.prefix}` });
    await bus.js.publish(bus.subject('cmd.otherservice.x'), new TextEncoder().encode('{}'), { msgID: `purge-other-${bus.prefix}` });
    // and the consumer settled the first, second and fourth, but not the third
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const messages = await consumer.fetch({ max_messages: 4, expires: 2_000 });
    const held = [];
    for await (const m of messages) {
      if (m.subject.endsWith('.c3')) held.push(m);
      else await m.ackAck();
    }
    expect(held).toHaveLength(1);
    const purger = new CommandPurger(bus, durable, bus.subject('cmd.purgetest.>'));

    // when the purger runs
    const purged = await purger.purgeSettled();

    // then only what is below the ack floor went: c1 and c2; c3 (unsettled) and c4 (above it) stay
    expect(purged).toBe(2);
    expect(Object.keys(await stored('cmd.purgetest.>')).sort()).toEqual([bus.subject('cmd.purgetest.c3'), bus.subject('cmd.purgetest.c4')]);
    // and another service's command is untouched
    expect(Object.keys(await stored('cmd.otherservice.>'))).toEqual([bus.subject('cmd.otherservice.x')]);

    // when the held command is settled and the purger runs again, the rest goes
    await held[0]!.ackAck();
    expect(await purger.purgeSettled()).toBe(2);
    expect(await stored('cmd.purgetest.>')).toEqual({});
    expect(Object.keys(await stored('cmd.otherservice.>'))).toEqual([bus.subject('cmd.otherservice.x')]);
  });
});

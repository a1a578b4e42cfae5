import { AckPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { Logger } from '@nestjs/common';
import { command } from '@slipway/contracts';
import { eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { keepConsuming } from './durable-consumer';
import { OutageGate } from './outage-gate';
import { settleMessage } from './settle-message';

/** What node-postgres throws while Postgres is unreachable: transient, waited out in place. */
const postgresDown = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:5432'), { code: 'ECONNREFUSED' });
const log = new Logger('outage-gate-test');
// Declared, so that the COMMANDS stream takes their subjects.
command('cmd.gatesplit.do.v1', z.unknown());
command('cmd.gatewhole.do.v1', z.unknown());

/**
 * An outage can be one instance's alone (its network, its connections): its messages must
 * reach the instances that can handle them. The consumer's max_ack_pending is the whole
 * consumer's, so one instance that went on pulling while it waited would hold them all.
 */
describe('an instance waiting out an outage, on real JetStream', () => {
  let bus: Bus;
  const stops: AbortController[] = [];
  const running = new Set<ConsumerMessages>();

  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterEach(() => {
    for (const stop of stops.splice(0)) stop.abort();
    for (const messages of running) messages.stop();
    running.clear();
  });
  afterAll(() => bus?.close());

  /** A consumer on `cmd.<name>.>` with room for 8 unacknowledged messages, as one of a service's instances would run it. */
  async function instance(name: string, work: (m: JsMsg) => Promise<void>, options: { holdInOutageMs: number; maxDeliveries?: number }, settled?: (m: JsMsg) => void) {
    const stop = new AbortController();
    stops.push(stop);
    const gate = new OutageGate();
    const config = {
      durable_name: `${name}-commands`, ack_policy: AckPolicy.Explicit, filter_subject: bus.subject(`cmd.${name}.>`), ack_wait: nanos(30_000), max_deliver: -1, max_ack_pending: 8,
    };
    await keepConsuming(bus, {
      stream: bus.stream('COMMANDS'), config, maxMessages: 4,
      onMessage: (m) => void settleMessage(m, () => work(m), { bus, log, stopping: stop.signal, gate, ...options }).finally(() => settled?.(m)),
    }, { stopping: stop.signal, log, running, gate });
  }

  const publish = async (name: string, count: number, from = 0) => {
    for (let i = from; i < from + count; i++) {
      await bus.js.publish(bus.subject(`cmd.${name}.do.v1`), new TextEncoder().encode(JSON.stringify({ commandId: `${name}-${i}` })), { msgID: `${bus.prefix}-${name}-${i}` });
    }
  };
  const deadLettered = async (name: string) => (await bus.jsm.streams.info(bus.stream('DEADLETTER'), { subjects_filter: bus.subject(`dead.cmd.${name}.>`) })).state.subjects ?? {};

  it('hands its messages to an instance that can reach what it cannot, and runs one at a time while it cannot', async () => {
    // given two instances of one service, one of which cannot reach Postgres, and learns so
    // slowly (a partition: each attempt fails after a while, not at once)
    const handled: number[] = [];
    const delivery = (m: JsMsg) => `${m.seq}/${m.info.deliveryCount}`;
    // The deliveries the sick one took on after it met the outage (not handed back unrun), until each is settled
    let closedAt: number | undefined;
    const takenSince = new Set<string>();
    let mostTaken = 0;
    const seen = new Set<string>();
    await instance('gatesplit', async (m) => {
      // its first attempt only: the messages held since before go on retrying in place
      if (!seen.has(delivery(m)) && closedAt !== undefined && Date.now() - closedAt > 100) {
        takenSince.add(delivery(m));
        mostTaken = Math.max(mostTaken, takenSince.size);
      }
      seen.add(delivery(m));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      closedAt ??= Date.now();
      throw postgresDown();
    }, { holdInOutageMs: 2_000 }, (m) => takenSince.delete(delivery(m)));
    await instance('gatesplit', async (m) => { handled.push(m.seq); }, { holdInOutageMs: 2_000 });
    // when 60 commands arrive, a few at a time
    for (let batch = 0; batch < 6; batch++) {
      await publish('gatesplit', 10, batch * 10);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    // then the healthy one handles every one of them, once, and nothing is dead-lettered
    await eventually(() => expect(new Set(handled).size).toBe(60), 60_000);
    expect(handled.length).toBe(60);
    const info = await bus.jsm.consumers.info(bus.stream('COMMANDS'), 'gatesplit-commands');
    expect({ pending: info.num_pending, unacknowledged: info.num_ack_pending }).toEqual({ pending: 0, unacknowledged: 0 });
    expect(await deadLettered('gatesplit')).toEqual({});
    // and once the sick one met the outage, it took on one message at a time (its probe), handing back the others
    expect(closedAt).toBeDefined();
    expect(mostTaken).toBe(1);
  }, 90_000);

  it('waits out an outage of every instance without counting the deliveries it hands back, and handles each message once it ends', async () => {
    // given a lone instance whose Postgres is down for longer than it holds a message (several hand-backs each)
    let down = true;
    const handled = new Map<number, number>();
    await instance('gatewhole', async (m) => {
      if (down) throw postgresDown();
      handled.set(m.seq, (handled.get(m.seq) ?? 0) + 1);
    }, { holdInOutageMs: 500, maxDeliveries: 2 });
    await publish('gatewhole', 10);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    // when the outage ends
    down = false;
    // then each message is handled once, none dead-lettered (deliveries handed back in an outage are not counted)
    await eventually(() => expect(handled.size).toBe(10), 60_000);
    expect([...handled.values()]).toEqual(Array(10).fill(1));
    expect(await deadLettered('gatewhole')).toEqual({});
  }, 90_000);
});

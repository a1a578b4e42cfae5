import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy } from '@nats-io/jetstream';
import { nanos, TimeoutError } from '@nats-io/nats-core';
import { Logger } from '@nestjs/common';
import { command } from '@slipway/contracts';
import { eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { readMessageRecord } from './message-records';
import { waitingUncounted } from './outage-deliveries';
import { settleMessage } from './settle-message';
import { PoisonMessage } from './settlement';
import { NewerProjectionRules } from '@slipway/event-log';

/**
 * A command whose handler takes the process down on every delivery is never settled; the
 * server has no bound of its own (it would drop the message silently), so on the delivery
 * after the last allowed one it must go to DEADLETTER without running again.
 */
const Crash = command('cmd.unsettledtest.crash.v1', z.unknown());
const Poison = command('cmd.unsettledtest.poison.v1', z.unknown());
const Waits = command('cmd.unsettledtest.waits.v1', z.unknown());
const Relapse = command('cmd.unsettledtest.relapse.v1', z.unknown());
const Fenced = command('cmd.unsettledtest.fenced.v1', z.unknown());
const InLine = command('cmd.unsettledtest.in-line.v1', z.unknown());
const TurnTaken = command('cmd.unsettledtest.turn-taken.v1', z.unknown());
const WaitFailed = command('cmd.unsettledtest.wait-failed.v1', z.unknown());
const Unread = command('cmd.unsettledtest.unread.v1', z.unknown());
const Grows = command('cmd.unsettledtest.grows.v1', z.unknown());
const Deep = command('cmd.unsettledtest.deep.v1', z.unknown());
/** What node-postgres throws while Postgres is down: transient, retried in place. */
const postgresDown = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('settleMessage against real JetStream', () => {
  let bus: Bus;
  const durable = 'unsettledtest-commands';

  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    await bus.jsm.consumers.add(bus.stream('COMMANDS'), {
      durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: bus.subject('cmd.unsettledtest.>'),
      ack_wait: nanos(150), max_deliver: -1,
    });
  });
  afterAll(() => bus?.close());

  it('dead-letters a message delivered more often than allowed without running its work', async () => {
    const body = { commandId: 'c1', payload: { settings: { obsAlertEmailAppPassword: 'hunter2-app-password', region: 'eu' } } };
    await bus.js.publish(bus.subject(Crash.subject), new TextEncoder().encode(JSON.stringify(body)), { msgID: `unsettled-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    // given three deliveries that were never settled (the process "died" each time)
    let runs = 0;
    let outcome: string | undefined;
    for (let delivery = 1; outcome === undefined; delivery++) {
      const m = await consumer.next({ expires: 5_000 });
      expect(m?.info.deliveryCount).toBe(delivery);
      if (delivery <= 3) continue; // ack_wait passes: JetStream delivers it again
      // when the fourth delivery arrives with maxDeliveries 3
      outcome = await settleMessage(m!, async () => { runs++; }, { bus, log: new Logger('test'), maxDeliveries: 3 });
    }
    // then it is dead-lettered, the work did not run, and JetStream no longer holds it
    expect(outcome).toBe('dead-lettered');
    expect(runs).toBe(0);
    const dead = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${Crash.subject}`) });
    expect(dead?.header.get('Slipway-Reason')).toBe('delivered 4 times without being settled (more than 3)');
    // and what DEADLETTER keeps (indefinitely) holds no secret value, the rest as it came
    expect(dead?.string()).not.toContain('hunter2');
    expect(dead?.json()).toEqual({ commandId: 'c1', payload: { settings: { obsAlertEmailAppPassword: '[redacted]', region: 'eu' } } });
    // and, a value replaced, it is not marked whole: it could not be sent again as it was
    expect(dead?.header.get('Slipway-Whole')).toBeFalsy();
    const info = await bus.jsm.consumers.info(bus.stream('COMMANDS'), durable);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('files a poison message with its reason redacted: a handler\'s error may quote what it was sent', async () => {
    const actor = { principal: 'admin', kind: 'token', tokenId: 'a'.repeat(64) };
    await bus.js.publish(bus.subject(Poison.subject), new TextEncoder().encode(JSON.stringify({ commandId: 'c2', actor, payload: {} })), { msgID: `poison-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const m = (await consumer.next({ expires: 5_000 }))!;
    const outcome = await settleMessage(m, async () => { throw new PoisonMessage('could not apply: password=Hunter2InReason'); }, { bus, log: new Logger('test'), maxDeliveries: 3 });
    expect(outcome).toBe('dead-lettered');
    const dead = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${Poison.subject}`) });
    expect(dead?.header.get('Slipway-Reason')).toContain('could not apply: password=[redacted]');
    expect(dead?.header.get('Slipway-Reason')).not.toContain('Hunter2InReason');
    // a body with no secret value is kept whole, and marked so (a redrive may send it again):
    // the actor's tokenId is the token's public id (its hash), not a secret
    expect(dead?.header.get('Slipway-Whole')).toBe('true');
    expect(dead?.json()).toEqual({ commandId: 'c2', actor, payload: {} });
  });

  it('files a poison message whose kept body would be more than the bus carries as a note of its size, and lets it go', async () => {
    // given a body just under max_payload: filed with a letter's headers beside it, it would be
    // over (texts of a KiB each, which its redaction reads quickly: one 8 MiB text may exhaust it)
    const max = bus.nc.info!.max_payload;
    const pieces = Array<string>(Math.floor((max - 2_000) / 1_003)).fill('x'.repeat(1_000));
    const short = JSON.stringify({ commandId: 'c-grows', payload: { pieces, rest: '' } }).length;
    const sent = JSON.stringify({ commandId: 'c-grows', payload: { pieces, rest: 'x'.repeat(max - 300 - short) } });
    expect(sent.length).toBe(max - 300);
    await bus.js.publish(bus.subject(Grows.subject), new TextEncoder().encode(sent), { msgID: `grows-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const m = (await consumer.next({ expires: 5_000 }))!;
    // when its handler finds it poison
    const outcome = await settleMessage(m, async () => { throw new PoisonMessage('not a command this handler takes'); }, { bus, log: new Logger('test'), maxDeliveries: 3 });
    // then it is filed, its body a note of its size, and JetStream delivers it no more
    expect(outcome).toBe('dead-lettered');
    const dead = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${Grows.subject}`) });
    expect(dead?.header.get('Slipway-Reason')).toBe('PoisonMessage: not a command this handler takes');
    expect(dead?.json()).toEqual({ notKept: expect.stringMatching(/^a body of \d+ bytes as kept, more than the bus carries beside a letter's headers \(\d+\)$/) });
    const info = await bus.jsm.consumers.info(bus.stream('COMMANDS'), durable);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('files a poison message nested too deeply to be read for secrets as a note saying so, and lets it go', async () => {
    // given a body of lists 40,000 deep (fewer entries than a command may hold, deeper than redaction's stack)
    const depth = 40_000;
    const sent = `{"commandId":"c-deep","payload":{"password":"Hunter2Deep","nested":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    await bus.js.publish(bus.subject(Deep.subject), new TextEncoder().encode(sent), { msgID: `deep-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const m = (await consumer.next({ expires: 5_000 }))!;
    // when its handler finds it poison
    const outcome = await settleMessage(m, async () => { throw new PoisonMessage('not a command this handler takes'); }, { bus, log: new Logger('test'), maxDeliveries: 3 });
    // then it is filed as a note of why it was not kept, its secret nowhere, and delivered no more
    expect(outcome).toBe('dead-lettered');
    const dead = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${Deep.subject}`) });
    expect(dead?.json()).toEqual({ notKept: `a body of ${sent.length} bytes that could not be read for secrets (nested too deeply, or a text in it too long)` });
    expect(dead?.string()).not.toContain('Hunter2Deep');
    const info = await bus.jsm.consumers.info(bus.stream('COMMANDS'), durable);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('does not count deliveries handed back by a service stopping during an outage: five restarts later the command still runs', async () => {
    await bus.js.publish(bus.subject(Waits.subject), new TextEncoder().encode(JSON.stringify({ commandId: 'c3' })), { msgID: `waits-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const deliveriesSeen: number[] = [];
    // given five deliveries, each met by Postgres down and handed back as its service stops
    for (let restart = 1; restart <= 5; restart++) {
      const m = (await consumer.next({ expires: 5_000 }))!;
      expect(m.info.deliveryCount).toBe(restart);
      const stopping = new AbortController();
      const outcome = await settleMessage(m, async (delivery) => {
        deliveriesSeen.push(delivery);
        stopping.abort();
        throw postgresDown();
      }, { bus, log: new Logger('test'), maxDeliveries: 3, stopping: stopping.signal });
      expect(outcome).toBe('nakked');
    }
    // when Postgres is back for the sixth delivery (maxDeliveries 3)
    const m = (await consumer.next({ expires: 5_000 }))!;
    expect(m.info.deliveryCount).toBe(6);
    const outcome = await settleMessage(m, async (delivery) => { deliveriesSeen.push(delivery); }, { bus, log: new Logger('test'), maxDeliveries: 3 });
    // then the command runs and is acked, each delivery told it is the first that counts
    expect(outcome).toBe('acked');
    expect(deliveriesSeen).toEqual([1, 1, 1, 1, 1, 1]);
    const dead = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${Waits.subject}`) });
    expect(dead).toBeNull();
  });

  it('reads again, rather than counting every delivery, when which of them ended in an outage cannot be read (JetStream slow after a restart)', async () => {
    await bus.js.publish(bus.subject(Unread.subject), new TextEncoder().encode(JSON.stringify({ commandId: 'c10' })), { msgID: `unread-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    // given four deliveries handed back during an outage, as their service stopped (maxDeliveries 3)
    for (let restart = 1; restart <= 4; restart++) {
      const m = (await consumer.next({ expires: 5_000 }))!;
      const stopping = new AbortController();
      expect(await settleMessage(m, async () => {
        stopping.abort();
        throw postgresDown();
      }, { bus, log: new Logger('test'), maxDeliveries: 3, stopping: stopping.signal })).toBe('nakked');
    }
    // when the fifth delivery's first read of that record fails
    const m = (await consumer.next({ expires: 5_000 }))!;
    expect(m.info.deliveryCount).toBe(5);
    const read = jest.spyOn(bus.jsm.streams, 'getMessage').mockRejectedValueOnce(new TimeoutError());
    let told: number | undefined;
    try {
      const outcome = await settleMessage(m, async (delivery) => { told = delivery; }, { bus, log: new Logger('test'), maxDeliveries: 3 });
      // then it is not dead-lettered unrun: read again, the command runs as the first delivery that counts
      expect(outcome).toBe('acked');
      expect(told).toBe(1);
      expect(read.mock.calls.length).toBeGreaterThanOrEqual(2);
    } finally {
      read.mockRestore();
    }
    const dead = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${Unread.subject}`) });
    expect(dead).toBeNull();
  });

  it('hands back at once, uncounted, what an instance of the version before may no longer write (a rolling upgrade\'s repair fenced it)', async () => {
    await bus.js.publish(bus.subject(Fenced.subject), new TextEncoder().encode(JSON.stringify({ commandId: 'c6' })), { msgID: `fenced-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const deliveriesSeen: number[] = [];
    // given three deliveries taken by an old instance, each refused its projection's writers' turn
    for (let taken = 1; taken <= 3; taken++) {
      const m = (await consumer.next({ expires: 10_000 }))!;
      expect(m.info.deliveryCount).toBe(taken);
      const outcome = await settleMessage(m, async (delivery) => {
        deliveriesSeen.push(delivery);
        throw new NewerProjectionRules('config_store', 8, 7);
      }, { bus, log: new Logger('test'), maxDeliveries: 2 });
      // then each is handed back at once, not held (it would hold one of the consumer's places)
      expect(outcome).toBe('nakked');
    }
    // and a newer instance taking the fourth delivery (maxDeliveries 2) runs it as its first that counts
    const m = (await consumer.next({ expires: 10_000 }))!;
    expect(m.info.deliveryCount).toBe(4);
    expect(await settleMessage(m, async (delivery) => { deliveriesSeen.push(delivery); }, { bus, log: new Logger('test'), maxDeliveries: 2 })).toBe('acked');
    expect(deliveriesSeen).toEqual([1, 1, 1, 1]);
  });

  it('counts a delivery whose process died while its handler ran again after an outage\'s pause', async () => {
    await bus.js.publish(bus.subject(Relapse.subject), new TextEncoder().encode(JSON.stringify({ commandId: 'c4' })), { msgID: `relapse-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    // given a first delivery that met Postgres down, paused, and is running its handler again,
    // which never returns (the process "dies" there: its lease runs out)
    const first = (await consumer.next({ expires: 5_000 }))!;
    let attempts = 0;
    let rerunning!: () => void;
    const rerun = new Promise<void>((resolve) => { rerunning = resolve; });
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    const zombie = settleMessage(first, async () => {
      attempts++;
      if (attempts === 1) throw postgresDown();
      rerunning();
      await released;
    }, { bus, log: new Logger('test'), maxDeliveries: 1 });
    await rerun;
    try {
      // when it is delivered again (maxDeliveries 1)
      const second = (await consumer.next({ expires: 5_000 }))!;
      expect(second.info.deliveryCount).toBe(2);
      let ranAgain = false;
      const outcome = await settleMessage(second, async () => { ranAgain = true; }, { bus, log: new Logger('test'), maxDeliveries: 1 });
      // then that delivery counts, as any crash of a handler does: dead-lettered without running
      expect(outcome).toBe('dead-lettered');
      expect(ranAgain).toBe(false);
      const dead = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${Relapse.subject}`) });
      expect(dead?.header.get('Slipway-Reason')).toBe('delivered 2 times without being settled (more than 1)');
    } finally {
      // the handler that never returned is let go, so that nothing outlives the test
      release();
      await zombie;
    }
  });

  /**
   * A first delivery whose handler waits its turn behind other commands past the second after
   * which the wait is recorded, then (with `begins`) takes its turn, and never returns: the
   * process dies there. Resolves to the second delivery's outcome (maxDeliveries 1).
   */
  const diesInLine = async (subject: string, id: string, begins: boolean): Promise<{ outcome: string; ran: boolean }> => {
    await bus.js.publish(bus.subject(subject), new TextEncoder().encode(JSON.stringify({ commandId: id })), { msgID: `${id}-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const first = (await consumer.next({ expires: 5_000 }))!;
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    let dies!: () => void;
    const whereItDies = new Promise<void>((resolve) => { dies = resolve; });
    const zombie = settleMessage(first, () => waitingUncounted(async (turnBegins) => {
      await sleep(1_500);
      if (begins) await turnBegins();
      dies();
      await released;
    }), { bus, log: new Logger('test'), maxDeliveries: 1 });
    try {
      // The second delivery once the first stands where its process dies, waited for (a fixed
      // 2 s can be too little on a loaded machine): past its second in line, the wait recorded
      // (a write of its own, which may still be under way), and with `begins` its turn taken.
      await Promise.race([whereItDies, zombie]);
      if (!begins) await eventually(async () => expect(await readMessageRecord(bus, first, '')).toMatchObject({ deliveries: 1 }), 30_000, 50);
      const second = (await consumer.next({ expires: 5_000 }))!;
      expect(second.info.deliveryCount).toBe(2);
      let ran = false;
      const outcome = await settleMessage(second, async () => { ran = true; }, { bus, log: new Logger('test'), maxDeliveries: 1 });
      return { outcome, ran };
    } finally {
      release();
      await zombie;
    }
  };

  it('does not count a delivery whose process died while it waited its turn behind other commands', async () => {
    expect(await diesInLine(InLine.subject, 'c7', false)).toEqual({ outcome: 'acked', ran: true });
  });

  it('counts a delivery whose wait for its turn failed (its handler failed, not its process)', async () => {
    await bus.js.publish(bus.subject(WaitFailed.subject), new TextEncoder().encode(JSON.stringify({ commandId: 'c9' })), { msgID: `c9-${bus.prefix}` });
    const consumer = await bus.js.consumers.get(bus.stream('COMMANDS'), durable);
    const first = (await consumer.next({ expires: 5_000 }))!;
    const failed = await settleMessage(first, () => waitingUncounted(async () => {
      await sleep(1_500);
      throw new Error('the lock could not be asked for');
    }), { bus, log: new Logger('test'), maxDeliveries: 2 });
    expect(failed).toBe('nakked');
    const second = (await consumer.next({ expires: 5_000 }))!;
    let told: number | undefined;
    expect(await settleMessage(second, async (delivery) => { told = delivery; }, { bus, log: new Logger('test'), maxDeliveries: 2 })).toBe('acked');
    expect(told).toBe(2);
  });

  it('counts a delivery whose process died once its turn had begun', async () => {
    expect(await diesInLine(TurnTaken.subject, 'c8', true)).toEqual({ outcome: 'dead-lettered', ran: false });
  });
});

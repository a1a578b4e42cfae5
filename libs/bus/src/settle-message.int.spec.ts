import { AckPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { Logger } from '@nestjs/common';
import { command } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { settleMessage } from './settle-message';
import { PoisonMessage } from './settlement';

/**
 * A command whose handler takes the process down on every delivery is never settled; the
 * server has no bound of its own (it would drop the message silently), so on the delivery
 * after the last allowed one it must go to DEADLETTER without running again.
 */
const Crash = command('cmd.unsettledtest.crash.v1', z.unknown());
const Poison = command('cmd.unsettledtest.poison.v1', z.unknown());

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
});

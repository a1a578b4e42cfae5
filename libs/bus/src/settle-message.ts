import type { LoggerService } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { withoutSecretValues } from '@slipway/contracts';
import type { Bus } from './bus';
import { DEAD_LETTER_HEADERS } from './dead-letters';
import { ACK_WAIT_MS, settle, settleUnsettled } from './settlement';

export type Settled = 'acked' | 'nakked' | 'dead-lettered';

/**
 * Runs a message's work with `working()` heartbeats (so a long handler keeps its
 * lease), then carries out what settlement.ts decides for its outcome.
 */
export async function settleMessage(
  m: JsMsg, work: () => Promise<void>, context: { bus: Bus; log: LoggerService; maxDeliveries?: number },
): Promise<Settled> {
  const unsettled = settleUnsettled(m.info.deliveryCount, context.maxDeliveries);
  if (unsettled) {
    await deadLetter(m, unsettled.reason, context);
    return 'dead-lettered';
  }
  const heartbeat = setInterval(() => m.working(), ACK_WAIT_MS / 3);
  let error: unknown;
  try {
    await work();
  } catch (caught) {
    error = caught;
  } finally {
    clearInterval(heartbeat);
  }
  const decision = settle({ error }, m.info.deliveryCount, context.maxDeliveries);
  switch (decision.action) {
    case 'ack':
      // A lost ack only means a redelivery, which the recorded outcome answers.
      m.ack();
      return 'acked';
    case 'nak':
      context.log.warn(`${m.subject} delivery ${m.info.deliveryCount} failed, retrying: ${String(error)}`);
      m.nak(decision.delayMs);
      return 'nakked';
    case 'dead-letter':
      await deadLetter(m, decision.reason, context);
      return 'dead-lettered';
  }
}

/**
 * The body as kept for an operator: DEADLETTER keeps messages indefinitely, so values under
 * secret-named keys (a settings command's passwords) are replaced; the rest is as it came.
 */
function keptBody(data: Uint8Array): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return data;
  }
  return new TextEncoder().encode(JSON.stringify(withoutSecretValues(parsed)));
}

/** Files the message in DEADLETTER with why, then tells JetStream to stop delivering it. */
async function deadLetter(m: JsMsg, reason: string, { bus, log }: { bus: Bus; log: LoggerService }): Promise<void> {
  const h = headers();
  h.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1000));
  h.set(DEAD_LETTER_HEADERS.subject, m.subject);
  h.set(DEAD_LETTER_HEADERS.deliveries, String(m.info.deliveryCount));
  // Keyed by the original stream sequence: a crash before `term` cannot file it twice.
  await bus.js.publish(bus.subject(`dead.${bus.unprefix(m.subject)}`), keptBody(m.data), { headers: h, msgID: `dead-${m.info.stream}-${m.info.streamSequence}` });
  log.error(`dead-lettered ${m.subject} after ${m.info.deliveryCount} deliveries: ${reason}`);
  m.term(reason.slice(0, 200));
}

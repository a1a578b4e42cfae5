import { setTimeout as pause } from 'node:timers/promises';
import type { LoggerService } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { CONTROL_CHARACTER, redactSecrets, redactTextPatterns } from '@slipway/contracts';
import type { Bus } from './bus';
import { busLimit } from './bus-limit';
import { decodeSent } from './codec';
import { DEAD_LETTER_HEADERS } from './dead-letters';
import { asDelivery, outageDeliveries, recordOutageDeliveries } from './outage-deliveries';
import { removeMessage } from './remove-message';
import { holdsMoreEntriesThan, MAX_SENT_ENTRIES } from './sent-entries';
import { ACK_WAIT_MS, settle, settleUnsettled, transientPauseMs } from './settlement';
import { isTransient, leftToAnother } from './transient';
import { shownError } from './shown-error';

export type Settled = 'acked' | 'nakked' | 'dead-lettered';

export interface SettleContext {
  bus: Bus;
  log: LoggerService;
  maxDeliveries?: number;
  /** Aborted when the service stops: work waiting out an outage is handed back then. */
  stopping?: AbortSignal;
  /** The message carries secret values (ERASED_AFTER_HANDLING): dead-lettered, it is erased from its stream too. */
  erase?: boolean;
  /**
   * Records what a message's dead-lettering means (a command's refusal, its outcome), before
   * it is filed and JetStream is told to let it go: let go first, a crash or a database outage
   * in between left the command pending for good, and a resend under its id was answered 202.
   * Failing for a transient reason, the message is handed back, to be recorded and filed on a
   * later delivery; the record is idempotent (the command's first outcome stands).
   */
  recordDeadLetter?: () => Promise<void>;
  /** Told when work is handed back as another version's to do (leftToAnother), before it is. */
  onLeftToAnother?: () => void;
}

/**
 * Runs a message's work with `working()` heartbeats (so a long handler keeps its
 * lease), retrying it in place while it fails for a transient reason, then carries out
 * what settlement.ts decides for its outcome. The work is told which delivery this is,
 * counting only those that did not end in an outage (outage-deliveries.ts).
 */
export async function settleMessage(m: JsMsg, work: (delivery: number) => Promise<void>, context: SettleContext): Promise<Settled> {
  // A connection closing or draining meanwhile makes working() throw, in a timer: the lease
  // is lost then anyway (the message comes again), and the process must not go down for it.
  const heartbeat = setInterval(() => { try { m.working(); } catch { /* see above */ } }, ACK_WAIT_MS / 3);
  let inOutages: number | undefined;
  let error: unknown;
  try {
    inOutages = await earlierInOutages(m, context);
    if (inOutages === undefined) {
      // Stopping before the record could be read: handed back. This delivery counts then:
      // what it would add to is not known.
      m.nak();
      return 'nakked';
    }
    const unsettled = settleUnsettled(m.info.deliveryCount, context.maxDeliveries, inOutages);
    if (unsettled) return await deadLetter(m, unsettled.reason, context);
    error = await runRetryingInPlace(m, work, context, inOutages);
  } finally {
    clearInterval(heartbeat);
  }
  const delivery = m.info.deliveryCount - inOutages;
  if (isTransient(error)) {
    // Stopping during an outage: handed back for another instance (or this one, restarted),
    // without counting towards its dead-lettering.
    await recordOutageDeliveries(context.bus, m, inOutages + 1);
    m.nak();
    return 'nakked';
  }
  if (leftToAnother(error)) {
    // Another version's to do: handed back, not counted, for an instance of it to take.
    context.onLeftToAnother?.();
    context.log.warn(`${m.subject}: handed back: ${shownError(error)}`);
    await recordOutageDeliveries(context.bus, m, inOutages + 1);
    m.nak(HAND_BACK_DELAY_MS);
    return 'nakked';
  }
  const decision = settle({ error }, delivery, context.maxDeliveries);
  switch (decision.action) {
    case 'ack':
      // A lost ack only means a redelivery, which the recorded outcome answers.
      m.ack();
      return 'acked';
    case 'nak':
      context.log.warn(`${m.subject} delivery ${delivery} failed, retrying: ${shownError(error)}`);
      m.nak(decision.delayMs);
      return 'nakked';
    case 'dead-letter':
      return deadLetter(m, decision.reason, context);
  }
}

/**
 * How many earlier deliveries ended in an outage (outage-deliveries.ts), read again after a
 * pause while the record cannot be read, the message's lease kept: JetStream slow to answer
 * (just restarted) is an outage of its own, and a guess of none would count every delivery
 * the record leaves out (a command handed back through restarts, dead-lettered unrun).
 * Undefined when the service stops first.
 */
async function earlierInOutages(m: JsMsg, context: SettleContext): Promise<number | undefined> {
  for (let retry = 1; !context.stopping?.aborted; retry++) {
    try {
      return await outageDeliveries(context.bus, m);
    } catch (error) {
      const waitMs = transientPauseMs(retry);
      context.log.warn(`${m.subject}: which of its deliveries ended in an outage could not be read (${shownError(error)}); reading again in ${waitMs} ms`);
      await pauseUnlessStopping(waitMs, context.stopping);
    }
  }
  return undefined;
}

/** Runs the work, again after a pause while it fails for a transient reason; resolves to its last failure, if any. */
async function runRetryingInPlace(m: JsMsg, work: (delivery: number) => Promise<void>, context: SettleContext, inOutages: number): Promise<unknown> {
  const delivery = m.info.deliveryCount - inOutages;
  const attempt = () => failureOf(() => asDelivery({ bus: context.bus, m, inOutages }, () => work(delivery)));
  let error = await attempt();
  for (let retry = 1; isTransient(error) && !context.stopping?.aborted; retry++) {
    const waitMs = transientPauseMs(retry);
    context.log.warn(`${m.subject}: a dependency is down (${shownError(error)}); retrying in ${waitMs} ms`);
    // Should the process die in this pause, this delivery is the outage's, not the handler's.
    await recordOutageDeliveries(context.bus, m, inOutages + 1);
    await pauseUnlessStopping(waitMs, context.stopping);
    if (context.stopping?.aborted) break;
    // The handler runs again: should the process die now, the delivery counts.
    await recordOutageDeliveries(context.bus, m, inOutages);
    error = await attempt();
  }
  return error;
}

async function failureOf(work: () => Promise<void>): Promise<unknown> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return error ?? new Error('the handler threw nothing');
  }
}

/** Resolves after `ms`, or at once when the service starts stopping. */
export function pauseUnlessStopping(ms: number, stopping?: AbortSignal): Promise<void> {
  return pause(ms, undefined, { signal: stopping }).catch(() => undefined);
}

/**
 * The body as kept for an operator: DEADLETTER keeps messages indefinitely, so values under
 * secret-named keys (a settings command's passwords) are replaced; the rest is as it came.
 * A command erased after handling (`erase`: an upload, a patch, settings) is kept without
 * its payload, which carries secret values in shapes no redaction can be sure to find (a
 * patch naming no kind may reach a Secret): its envelope says what it was. `whole`: nothing
 * was replaced or left out, so the body is the command as its handler read it and may be
 * sent again (RedriveDeadLetter). A body that is no JSON, or past MAX_SENT_ENTRIES, is kept as its size alone.
 */
function readsAsSent(data: Uint8Array): boolean {
  try {
    decodeSent(data);
    return true;
  } catch {
    return false;
  }
}

function keptBody(data: Uint8Array, erase = false): { body: Uint8Array; whole: boolean; undecodable?: number } {
  const text = new TextDecoder().decode(data);
  // A body of more entries than a sent one may hold is refused unread (decodeSent), and kept
  // unread: parsed and redacted here, it would hold the event loop as long as reading it did.
  if (holdsMoreEntriesThan(text, MAX_SENT_ENTRIES)) return { body: new Uint8Array(0), whole: false, undecodable: data.length };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No JSON to redact: text may hold a password anywhere, so only its size is kept.
    return { body: new Uint8Array(0), whole: false, undecodable: data.length };
  }
  const erased = erase && parsed !== null && typeof parsed === 'object' && 'payload' in parsed;
  if (erased) {
    parsed = { ...(parsed as object), payload: { notKept: `the payload of a command erased once handled (it carries secret values), ${data.length} bytes in all` } };
  }
  try {
    // The actor's tokenId is the token's id (its SHA-256, which the log shows), not its
    // secret: set aside from the redaction, whose rules would take it for one by its name.
    const { body: judged, restore } = tokenIdAside(parsed);
    const redacted = redactSecrets(judged);
    // Kept as parsed, never as the bytes came: a key given twice keeps only its last value
    // in `parsed`, and an earlier one under a secret name would otherwise be filed in clear.
    // Such a body, or one not UTF-8, is not the command as sent (decodeSent refuses both): not to be sent again.
    const whole = !erased && readsAsSent(data) && JSON.stringify(redacted) === JSON.stringify(judged);
    return { body: new TextEncoder().encode(JSON.stringify(restore(redacted))), whole };
  } catch {
    // Nested deeper than the stack allows, or a text longer than the patterns' matching can
    // take (one of megabytes): not kept, rather than filed with its secrets.
    return { body: new TextEncoder().encode(JSON.stringify({ notKept: `a body of ${data.length} bytes that could not be read for secrets (nested too deeply, or a text in it too long)` })), whole: false };
  }
}

/** Room for a letter's own headers (its reason, up to 1,000 characters, its message id, 512), beside the bus's for the rest. */
const LETTER_HEADER_ROOM = 2 * 1024;

/**
 * A kept body the bus carries; one it does not is kept as a note of its size. A body near the
 * bus's limit (max_payload), or one that grows as it is written again (`1e20`, four bytes, is
 * 21 as JSON writes it), could not be filed: the publish failed on every delivery, and the
 * message was never settled, its place among the consumer's unacknowledged kept for good (32
 * such stopped a service's commands).
 */
function withinBusLimit(bus: Bus, kept: ReturnType<typeof keptBody>): ReturnType<typeof keptBody> {
  const limit = busLimit(bus);
  if (limit === undefined || kept.body.length <= limit - LETTER_HEADER_ROOM) return kept;
  const note = { notKept: `a body of ${kept.body.length} bytes as kept, more than the bus carries beside a letter's headers (${limit - LETTER_HEADER_ROOM})` };
  return { body: new TextEncoder().encode(JSON.stringify(note)), whole: false };
}

/**
 * An envelope without its actor's tokenId, and how to put it back: only an actor as the
 * services write one (`principal`, `kind` "token", a SHA-256 in hex), so that nothing else
 * in an actor (a secret sent there by mistake) escapes the redaction.
 */
function tokenIdAside(body: unknown): { body: unknown; restore: (kept: unknown) => unknown } {
  const unchanged = { body, restore: (kept: unknown) => kept };
  const actor = (body as { actor?: unknown } | null)?.actor;
  if (!actor || typeof actor !== 'object' || Array.isArray(actor)) return unchanged;
  const { principal, kind, tokenId, ...other } = actor as Record<string, unknown>;
  if (Object.keys(other).length > 0 || typeof principal !== 'string' || kind !== 'token' || typeof tokenId !== 'string' || !/^[0-9a-f]{64}$/.test(tokenId)) return unchanged;
  return {
    body: { ...(body as object), actor: { principal, kind } },
    restore: (kept) => {
      const keptActor = (kept as { actor?: unknown } | null)?.actor;
      return keptActor && typeof keptActor === 'object' ? { ...(kept as object), actor: { ...keptActor, tokenId } } : kept;
    },
  };
}

/** A header holds one line: a reason quoting input (an id, a name) may hold line breaks. */
const oneLine = (text: string): string => text.replace(new RegExp(`(?:${CONTROL_CHARACTER.source})+`, 'g'), ' ');

/** How soon work handed back for an instance of another version is delivered again (to any instance). */
const HAND_BACK_DELAY_MS = 2_000;

/** How soon a message to dead-letter whose record failed for a transient reason is delivered again. */
const DEAD_LETTER_RECORD_RETRY_MS = 5_000;

/** Records what the dead-lettering means, files the message in DEADLETTER with why, then tells JetStream to stop delivering it. */
async function deadLetter(m: JsMsg, given: string, { bus, log, erase, recordDeadLetter }: SettleContext): Promise<Settled> {
  try {
    await recordDeadLetter?.();
  } catch (error) {
    if (isTransient(error)) {
      log.warn(`${m.subject}: its dead-lettering could not be recorded (${shownError(error)}); handed back, to be recorded and filed on a later delivery`);
      m.nak(DEAD_LETTER_RECORD_RETRY_MS);
      return 'nakked';
    }
    // Not mended by a retry: filed all the same, where an operator sees it.
    log.warn(`${m.subject}: its dead-lettering could not be recorded: ${shownError(error)}`);
  }
  const reason = shownError(given);
  const h = headers();
  h.set(DEAD_LETTER_HEADERS.reason, oneLine(reason).slice(0, 1000));
  h.set(DEAD_LETTER_HEADERS.subject, m.subject);
  h.set(DEAD_LETTER_HEADERS.deliveries, String(m.info.deliveryCount));
  const messageId = m.headers?.get('Nats-Msg-Id');
  // Redacted as the reason is: a sender's id is the command id, which may hold a token's secret.
  if (messageId) h.set(DEAD_LETTER_HEADERS.messageId, redactTextPatterns(oneLine(messageId).slice(0, 512)));
  const { body, whole, undecodable } = withinBusLimit(bus, keptBody(m.data, erase));
  if (whole) h.set(DEAD_LETTER_HEADERS.whole, 'true');
  if (undecodable !== undefined) h.set(DEAD_LETTER_HEADERS.undecodable, String(undecodable));
  // Keyed by the original stream sequence: a crash before `term` cannot file it twice (within
  // JetStream's ten-minute dedupe window: a service down longer may file it once more).
  await bus.js.publish(bus.subject(`dead.${bus.unprefix(m.subject)}`), body, { headers: h, msgID: `dead-${m.info.stream}-${m.info.streamSequence}` });
  log.error(`dead-lettered ${m.subject} after ${m.info.deliveryCount} deliveries: ${reason}`);
  // Its secret values stay out of DEADLETTER (keptBody); they must not stay on in the
  // stream's files either, where a handled one would have been erased. Should this fail,
  // the message is delivered again and filed again under the same id, then erased.
  if (erase) await removeMessage(bus, m.info.stream, m.info.streamSequence, { erase: true });
  m.term(reason.slice(0, 200));
  return 'dead-lettered';
}

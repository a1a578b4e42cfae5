import { headers as natsHeaders, type Msg, type MsgHdrs } from '@nats-io/nats-core';
import { bounded, DomainError, reusedIdRefusal, type CommandEnvelope, type Reply } from '@slipway/contracts';
import { decode } from './codec';

/**
 * On a command's answer: the fingerprint of the envelope answered (CommandEnvelope). A
 * sender waiting under the same id for another command (another payload) tells by it
 * that the answer is not its command's.
 */
export const FINGERPRINT_HEADER = 'Slipway-Fingerprint';

export function fingerprintHeaders(fingerprint: string): MsgHdrs {
  const headers = natsHeaders();
  headers.set(FINGERPRINT_HEADER, fingerprint);
  return headers;
}

/** The fingerprint an answer carries, if any. */
export const answeredFingerprint = (answer: Pick<Msg, 'headers'>): string | undefined => answer.headers?.get(FINGERPRINT_HEADER) || undefined;

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && typeof (value as Reply).ok === 'boolean'
    && ('value' in (value as object) || 'error' in (value as object));
}

/** Handlers may return a Reply, a bare value, or throw a DomainError: all become a Reply. */
export function toReply(result: unknown): Reply {
  return isReply(result) ? result : { ok: true, value: result ?? null };
}

/** A refusal as a reply, cut to a size any bus carries (bounded). */
export function errorReply(error: DomainError): Reply {
  return { ok: false, error: bounded(error.toJSON()) };
}


/**
 * The answer a waiting sender got, as its own: an outcome answered to another command sent
 * under the same id (the copy JetStream kept) refuses this one. A refusal that is no
 * outcome ("retry shortly") stands: the id is anyone's until one is recorded.
 */
export function answerTo(envelope: Pick<CommandEnvelope, 'commandId' | 'fingerprint'>, answer: Pick<Msg, 'data' | 'headers'>): Reply {
  const reply = decode<Reply>(answer.data);
  const reused = reusedIdRefusal(envelope.commandId, { fingerprint: answeredFingerprint(answer) }, { fingerprint: envelope.fingerprint });
  if (reused && (reply.ok || DomainError.from(reply.error).final)) throw reused;
  return reply;
}

import type { LoggerService } from '@nestjs/common';
import { DomainError, fingerprintIn, reusedIdRefusal, type CommandEnvelope, type Reply } from '@slipway/contracts';
import type { JetStreamServerOptions } from './jetstream-options';
import { errorReply } from './reply';
import { shownError } from './shown-error';
import { isTransient } from './transient';

/**
 * The answer to a command refused outside its log: the outcome it had recorded before, if
 * any (a resend of a command handled before the service lost what it needs, say: a cluster
 * configuration), unless that was another command's under the same id (another subject, or
 * another payload).
 */
export function answerOf(sent: Pick<CommandEnvelope, 'commandId' | 'fingerprint'>, subject: string, refusal: Reply, before: { subject: string; reply: Reply; fingerprint?: string } | undefined): Reply {
  const reused = reusedIdRefusal(sent.commandId, before, { subject, fingerprint: fingerprintIn(sent) });
  return reused ? errorReply(reused) : before?.reply ?? refusal;
}

/** A command on a subject this version of its service does not handle: kept in the dead-letter stream once its deliveries are spent. */
export function unhandledRefusal(subject: string, service: string): DomainError {
  return new DomainError('unavailable', `${subject} is not handled by this version of the ${service}; the command was kept in the dead-letter stream`);
}

/**
 * Records a command's refusal as its outcome as it is dead-lettered, and gives what its sender
 * is answered. `refusal`: why, when known; else it failed. Failing for a transient reason, the
 * record throws (the message is handed back, recorded on a later delivery: settle-message.ts);
 * for good, the command is let go unrecorded, and a sender still waiting is answered all the same.
 */
export async function recordDeadLettering(
  record: JetStreamServerOptions['recordRefusal'], log: LoggerService,
  { commandId, subject, fingerprint, refusal }: { commandId: string; subject: string; fingerprint?: string; refusal?: DomainError },
): Promise<Reply> {
  const why = refusal ?? new DomainError('internal', 'the command could not be handled and was moved to the dead-letter stream');
  // Recorded, so final whatever its code: read back (answeredOnce, a service that sent it) it must not be retried.
  const refused = errorReply(new DomainError(why.code, why.message, why.field, true));
  let before: Awaited<ReturnType<NonNullable<JetStreamServerOptions['recordRefusal']>>>;
  try {
    before = await record?.({ commandId, subject, reply: refused, ...(fingerprint ? { fingerprint } : {}) });
  } catch (error) {
    if (isTransient(error)) throw error;
    log.warn(`the refusal of dead-lettered ${commandId} could not be recorded: ${shownError(error)}`);
  }
  return answerOf({ commandId, fingerprint }, subject, refused, before);
}

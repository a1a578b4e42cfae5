import { markAccepted, readFiled, removeDeadLetter, type Bus } from '@slipway/bus';
import {
  deadLetterStreamId, DiscardDeadLetter, DomainError, RedriveDeadLetter, redrivenCommandId, replyValue,
  type CommandEnvelope, type DeadLetter, type PayloadOf, type RedrivenDeadLetter,
} from '@slipway/contracts';
import { answeredOnce, handleCommand, type CommandContext } from '@slipway/event-log';
import type { Pool } from 'pg';
import { deadLetterDecider, type DeadLetterCommand } from './dead-letter.decider';

type Filed = NonNullable<Awaited<ReturnType<typeof readFiled>>>;

/** Records who discarded which dead letter, then removes it from DEADLETTER. */
export function discardDeadLetter(
  db: Pool, bus: Bus, envelope: CommandEnvelope, context: CommandContext, { sequence }: PayloadOf<typeof DiscardDeadLetter>,
): Promise<DeadLetter> {
  return dealWith(db, bus, envelope, context, sequence, DiscardDeadLetter.subject, ({ letter }) => ({
    command: { kind: 'discard', letter, now: context.issuedAt },
    result: letter,
  }));
}

/**
 * Records who sent which dead letter's command again, and under which id, then sends it —
 * the payload as filed, the operator as actor, the filed command as cause — and removes the
 * letter. Its status reads `pending` until its service answers it.
 */
export function redriveDeadLetter(
  db: Pool, bus: Bus, envelope: CommandEnvelope, context: CommandContext, { sequence }: PayloadOf<typeof RedriveDeadLetter>,
): Promise<RedrivenDeadLetter> {
  return dealWith(db, bus, envelope, context, sequence, RedriveDeadLetter.subject, ({ letter }) => {
    const redrivenAs = redrivenCommandId(letter);
    return { command: { kind: 'redrive', letter, redrivenAs, now: context.issuedAt }, result: { ...letter, redrivenAs } };
  }, async ({ letter, command }, { redrivenAs }) => {
    if (!command) return;
    const resent: CommandEnvelope = {
      commandId: redrivenAs,
      correlationId: command.correlationId,
      causationId: command.commandId,
      actor: envelope.actor,
      issuedAt: context.issuedAt,
      payload: command.payload,
    };
    await markAccepted(bus, redrivenAs, letter.subject);
    // Under its own id as message id: a redelivered redrive within JetStream's window is
    // dropped, and one after it is answered by the outcome recorded under the id.
    await bus.js.publish(bus.subject(letter.subject), JSON.stringify(resent), { msgID: redrivenAs });
  });
}

/**
 * What an operator does with a dead letter: decided and recorded once, then carried out and
 * the letter removed. A crash in between is redelivered: answered from the record, and
 * carried out then (each step may run twice: sending is deduplicated, removing is idempotent).
 */
async function dealWith<R>(
  db: Pool, bus: Bus, envelope: CommandEnvelope, context: CommandContext, sequence: number, subject: string,
  decide: (filed: Filed) => { command: DeadLetterCommand; result: R }, carryOut?: (filed: Filed, result: R) => Promise<void>,
): Promise<R> {
  const filed = await readFiled(bus, sequence);
  const result = await answeredOnce(db, envelope, async () => {
    if (!filed) throw new DomainError('not-found', `no dead letter with sequence ${sequence}`, 'sequence');
    const { command, result: value } = decide(filed);
    return replyValue(await handleCommand(db, context, {
      subject,
      streamId: deadLetterStreamId(filed.letter),
      decider: deadLetterDecider,
      command: () => command,
      projections: [],
      result: () => value,
    }));
  });
  if (filed) {
    await carryOut?.(filed, result);
    await removeDeadLetter(bus, sequence);
  }
  return result;
}

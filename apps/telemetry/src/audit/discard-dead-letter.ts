import { readDeadLetter, removeDeadLetter, type Bus } from '@slipway/bus';
import { deadLetterStreamId, DiscardDeadLetter, DomainError, replyValue, type CommandEnvelope, type DeadLetter, type PayloadOf } from '@slipway/contracts';
import { answeredOnce, handleCommand, type CommandContext } from '@slipway/event-log';
import type { Pool } from 'pg';
import { deadLetterDecider } from './dead-letter.decider';

/**
 * Records who discarded which dead letter, then removes it from DEADLETTER. A crash between
 * the two is redelivered: answered from the record, and the removal done then.
 */
export async function discardDeadLetter(
  db: Pool, bus: Bus, envelope: CommandEnvelope, context: CommandContext, { sequence }: PayloadOf<typeof DiscardDeadLetter>,
): Promise<DeadLetter> {
  const discarded = await answeredOnce(db, envelope, async () => {
    const letter = await readDeadLetter(bus, sequence);
    if (!letter) throw new DomainError('not-found', `no dead letter with sequence ${sequence}`, 'sequence');
    return replyValue(await handleCommand(db, context, {
      subject: DiscardDeadLetter.subject,
      streamId: deadLetterStreamId(letter),
      decider: deadLetterDecider,
      command: () => ({ letter, now: context.issuedAt }),
      projections: [],
      result: () => letter,
    }));
  });
  await removeDeadLetter(bus, sequence);
  return discarded;
}

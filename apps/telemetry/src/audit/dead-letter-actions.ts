import { errorReply, markAccepted, readFiled, removeDeadLetter, type Bus } from '@slipway/bus';
import {
  deadLetterStreamId, DiscardDeadLetter, DomainError, fingerprintIn, RedriveDeadLetter, redrivenCommandId, replyValue,
  type CommandEnvelope, type DeadLetter, type PayloadOf, type RedrivenDeadLetter,
} from '@slipway/contracts';
import { answeredOnce, clearDeadLettered, findOutcome, handleCommand, recordOutcomeOnce, type CommandContext, type Sql } from '@slipway/event-log';
import type { Pool } from 'pg';
import { deadLetterDecider, type DeadLetterCommand, type DeadLetterState } from './dead-letter.decider';

type Filed = NonNullable<Awaited<ReturnType<typeof readFiled>>>;

/** Records who discarded which dead letter, then removes it from DEADLETTER. */
export function discardDeadLetter(
  db: Pool, bus: Bus, envelope: CommandEnvelope, context: CommandContext, { sequence }: PayloadOf<typeof DiscardDeadLetter>,
): Promise<DeadLetter> {
  return dealWith(db, bus, envelope, context, sequence, DiscardDeadLetter.subject, {
    command: async ({ letter, command }, tx) => {
      // Given up on: a status noting the command waits in the dead-letter stream would no longer be true.
      if (command) await clearDeadLettered(tx, command.commandId);
      return { kind: 'discard', letter, now: context.issuedAt };
    },
    result: (letter) => letter,
  });
}

/**
 * Records who sent which dead letter's command again, and as what, then sends it and
 * removes the letter. A command whose success is recorded (filed for a step after it that
 * kept failing, or for deliveries never settled) goes again under its own id: its service
 * answers that outcome and finishes what it had left, never doing it twice. Any other goes
 * as a new command, `redriven-<sequence>-<filed ms>` — the payload as filed, the admin as
 * actor, the filed command as cause — once its own id is recorded failed (as dead-lettering
 * records it, when that was lost): the filed one can never run after it.
 */
export function redriveDeadLetter(
  db: Pool, bus: Bus, envelope: CommandEnvelope, context: CommandContext, { sequence }: PayloadOf<typeof RedriveDeadLetter>,
): Promise<RedrivenDeadLetter> {
  return dealWith(db, bus, envelope, context, sequence, RedriveDeadLetter.subject, {
    command: async ({ letter, command }, tx) => ({ kind: 'redrive', letter, redrivenAs: command ? await redrivenAs(tx, letter, command) : '', now: context.issuedAt }),
    result: (letter, state) => ({ ...letter, redrivenAs: state.redrivenAs! }),
    carryOut: async ({ letter, command }, { redrivenAs: id }) => {
      if (!command) return;
      const again = id === command.commandId;
      const { subject: _set, ...filed } = command;
      // Dated as it is sent, as every command is (a bus refuses one issued more than a day
      // before it took it): a letter may be days old, and this may run again after a crash.
      const issuedAt = new Date().toISOString();
      const resent: CommandEnvelope = again ? { ...filed, issuedAt } : {
        commandId: id, correlationId: command.correlationId ?? command.commandId, causationId: command.commandId,
        actor: envelope.actor, issuedAt, payload: command.payload,
      };
      await markAccepted(bus, id, letter.subject);
      // A message id of its own (its command id is JetStream's for ten minutes after the
      // first copy): one per letter, so a redrive done again is deduplicated.
      await bus.js.publish(bus.subject(letter.subject), JSON.stringify(resent), { msgID: `${id}.redriven.${deadLetterStreamId(letter)}` });
    },
  });
}

/** The id a letter's command goes again under: its own when it succeeded, else a new one (its own recorded failed first). */
async function redrivenAs(tx: Sql, letter: DeadLetter, command: CommandEnvelope): Promise<string> {
  const recorded = await findOutcome(tx, command.commandId);
  if (recorded?.reply.ok) {
    // Sent again to finish what it recorded: its status no longer says it waits for this.
    await clearDeadLettered(tx, command.commandId);
    return command.commandId;
  }
  const id = redrivenCommandId(letter);
  if (recorded) return id;
  const failed = errorReply(new DomainError('internal', `the command was moved to the dead-letter stream, then sent again as ${id}`, undefined, true));
  const before = await recordOutcomeOnce(tx, { commandId: command.commandId, subject: letter.subject, reply: failed, fingerprint: fingerprintIn(command) });
  return before?.reply.ok ? command.commandId : id;
}

interface Action<R> {
  command: (filed: Filed, tx: Sql) => Promise<DeadLetterCommand>;
  result: (letter: DeadLetter, state: DeadLetterState) => R;
  carryOut?: (filed: Filed, result: R) => Promise<void>;
}

/**
 * What an operator does with a dead letter: decided and recorded once, then carried out and
 * the letter removed. A crash in between is redelivered: answered from the record, and
 * carried out then (sending is deduplicated, removing is idempotent) — only on the letter
 * recorded: a DEADLETTER made again numbers from 1, and another letter may hold its sequence.
 */
async function dealWith<R extends DeadLetter>(
  db: Pool, bus: Bus, envelope: CommandEnvelope, context: CommandContext, sequence: number, subject: string, action: Action<R>,
): Promise<R> {
  const filed = await readFiled(bus, sequence);
  const result = await answeredOnce(db, envelope, async () => {
    if (!filed) throw new DomainError('not-found', `no dead letter with sequence ${sequence}`, 'sequence');
    // The answer (and so the recorded outcome) leaves the payload out, as the event does.
    const { payload: _kept, ...letter } = filed.letter;
    return replyValue(await handleCommand(db, context, {
      subject,
      streamId: deadLetterStreamId(filed.letter),
      decider: deadLetterDecider,
      command: (tx) => action.command(filed, tx),
      projections: [],
      result: (state) => action.result(letter, state),
    }));
  });
  if (filed && deadLetterStreamId(filed.letter) === deadLetterStreamId(result)) {
    await action.carryOut?.(filed, result);
    await removeDeadLetter(bus, sequence);
  }
  return result;
}

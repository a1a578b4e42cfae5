import { CommandBus, isFinal } from '@slipway/bus';
import { DomainError, GetCommandStatus, replyValue, type Actor, type ApplyOutcome, type CommandStatus, type PushOutcome, type Reply } from '@slipway/contracts';
import { pushIdOf, sendPush, withPush } from './apply-changed';

/** An asynchronous write that applies what it changed: still running, or its combined outcome. */
export type AsyncApply = { done: false } | { done: true; outcome: ApplyOutcome };

const PENDING: AsyncApply = { done: false };

async function statusOf(commands: CommandBus, commandId: string): Promise<CommandStatus> {
  return replyValue(await commands.query(GetCommandStatus, { commandId }));
}

/** The write's outcome once handled (undefined before); throws only when its status cannot be read. */
export async function writeOutcome(commands: CommandBus, writeCommandId: string): Promise<Reply<ApplyOutcome> | undefined> {
  const write = await statusOf(commands, writeCommandId);
  return isFinal(write) ? (write.outcome as Reply<ApplyOutcome>) : undefined;
}

/**
 * Where the push of a handled write stands, making sure it exists: with changes and no
 * outcome for the push yet, the push is sent under its derived id. That is the same command
 * whether it is new (the gateway that accepted the write stopped before sending it) or
 * already waiting in JetStream: JetStream drops the copy within its dedupe window, and the
 * deployer answers a later one from its record, so the push happens once however often
 * this runs.
 */
export async function ensurePush(commands: CommandBus, writeCommandId: string, outcome: ApplyOutcome, actor: Actor): Promise<AsyncApply> {
  if (outcome.materialized.length === 0) return { done: true, outcome };
  const push = await statusOf(commands, pushIdOf(writeCommandId));
  if (isFinal(push)) return { done: true, outcome: withPush(outcome, push.outcome as Reply<PushOutcome>) };
  const sent = await sendPush(commands, actor, outcome.materialized, writeCommandId, 0);
  return sent.status === 'completed' ? { done: true, outcome: withPush(outcome, sent.reply) } : PENDING;
}

/** The write a result endpoint answers for: its command's subject, and what the document calls it. */
export interface AsyncWrite {
  subject: string;
  called: string;
}

/**
 * What the result endpoint answers: pending until the write and its push both have an
 * outcome. Any command's id can be asked for; one that is not such a write, or that no sender
 * handed over, is not found (its outcome is not a write's, and nothing of it may be pushed).
 */
export async function asyncApplyStatus(commands: CommandBus, writeCommandId: string, actor: Actor, expected: AsyncWrite): Promise<AsyncApply> {
  const write = await statusOf(commands, writeCommandId);
  if (write.status === 'pending') return PENDING;
  if (write.status === 'unknown' || write.subject !== expected.subject) throw new DomainError('not-found', `no ${expected.called} with RequestID "${writeCommandId}"`, 'RequestID');
  // A refused write is answered as its refusal, in the dialect's error shape.
  return ensurePush(commands, writeCommandId, replyValue(write.outcome as Reply<ApplyOutcome>), actor);
}

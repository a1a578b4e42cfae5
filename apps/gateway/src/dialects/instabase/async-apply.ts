import { CommandBus, isFinal } from '@slipway/bus';
import { DomainError, quoted, GetCommandStatus, pushIdOf, redactRefusal, replyValue, type ApplyOutcome, type CommandStatus, type PushOutcome, type Reply } from '@slipway/contracts';
import { withPush } from './apply-changed';

/** An asynchronous write that applies what it changed: still running, or its combined outcome. */
export type AsyncApply = { done: false } | { done: true; outcome: ApplyOutcome };

const PENDING: AsyncApply = { done: false };

async function statusOf(commands: CommandBus, commandId: string): Promise<CommandStatus> {
  return replyValue(await commands.query(GetCommandStatus, { commandId }));
}

/**
 * Where the push of a handled write stands: the config-store hands it to JetStream before
 * the write's outcome is answered (or, had it stopped in between, when the write is
 * delivered again), so it is pending until the deployer records its outcome.
 */
async function withItsPush(commands: CommandBus, writeCommandId: string, outcome: ApplyOutcome): Promise<AsyncApply> {
  if (outcome.materialized.length === 0) return { done: true, outcome };
  const push = await statusOf(commands, pushIdOf(writeCommandId));
  return isFinal(push) ? { done: true, outcome: withPush(outcome, push.outcome as Reply<PushOutcome>) } : PENDING;
}

/** The write a result endpoint answers for: its command's subject, and what the document calls it. */
export interface AsyncWrite {
  subject: string;
  called: string;
}

/**
 * What the result endpoint answers: pending until the write and its push both have an
 * outcome. Any command's id can be asked for; one that is not such a write, or that no sender
 * handed over, is not found.
 */
export async function asyncApplyStatus(commands: CommandBus, writeCommandId: string, expected: AsyncWrite): Promise<AsyncApply> {
  const write = await statusOf(commands, writeCommandId);
  if (write.status === 'pending') return PENDING;
  if (write.status === 'unknown' || write.subject !== expected.subject) throw new DomainError('not-found', `no ${expected.called} with RequestID ${quoted(writeCommandId)}`, 'RequestID');
  // A refused write is answered as its refusal, in the dialect's error shape.
  const outcome = write.outcome as Reply<ApplyOutcome>;
  return withItsPush(commands, writeCommandId, replyValue(outcome.ok ? outcome : { ok: false, error: redactRefusal(outcome.error) }));
}

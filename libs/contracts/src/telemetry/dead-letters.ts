import { z } from 'zod';
import { command, event, query } from '../define';
import { wholeNumber } from '../names';

/** A command (or event) the bus gave up on, as kept in DEADLETTER for an operator. */
export interface DeadLetter {
  /** Its sequence in DEADLETTER: what `after` takes to page on. */
  sequence: number;
  /** The contract subject it was published on (`cmd.deployer.create-target.v1`). */
  subject: string;
  reason: string;
  deliveries: number;
  deadAt: string;
  /**
   * The `Nats-Msg-Id` it was published with: how its sender finds a message that could not
   * be read as a command (not JSON, no usable id), which has no status to look up.
   */
  messageId?: string;
  commandId?: string;
  actor?: unknown;
  issuedAt?: string;
  /** The payload as kept: values under secret-named keys were replaced before filing. */
  payload?: unknown;
  /** Set instead of the envelope's fields when the body was not JSON, or held more keys and list items than a sent message may (not shown: it could hold anything). */
  undecodableBytes?: number;
  /**
   * Whether RedriveDeadLetter can send it again: a command kept whole (no secret value
   * replaced, no payload left out) by a Slipway that marks what it keeps so.
   */
  redrivable: boolean;
}

const listDeadLetters = z.object({
  /** Resume after this sequence (the last one seen); 0 reads from the oldest kept. */
  after: wholeNumber({ min: 0 }).default(0),
  limit: wholeNumber({ min: 1, max: 100 }).default(20),
}).strict();

export interface DeadLettersPage {
  deadLetters: DeadLetter[];
  /** Sequence to pass as `after` for the next page (the last one returned, or `after`). */
  next: number;
}

export const ListDeadLetters = query<typeof listDeadLetters, DeadLettersPage>('qry.telemetry.dead-letters.v1', listDeadLetters);

const discardDeadLetter = z.object({ sequence: wholeNumber({ min: 1 }) }).strict();
/** Removes a dead letter an operator has dealt with; who did, and what it was, stays in the log. */
export const DiscardDeadLetter = command<typeof discardDeadLetter, DeadLetter>('cmd.telemetry.discard-dead-letter.v1', discardDeadLetter);
export const DeadLetterDiscarded = event('deadletter.discarded.v1', z.object({
  sequence: z.number(), subject: z.string(), reason: z.string(), deliveries: z.number(), deadAt: z.string(),
  commandId: z.string().optional(), discardedAt: z.string(),
}));
const redriveDeadLetter = z.object({ sequence: wholeNumber({ min: 1 }) }).strict();
/** A dead letter sent again (its payload not repeated): its command is published anew, under `redrivenAs`. */
export interface RedrivenDeadLetter extends DeadLetter {
  /** The id the command was sent again under (`redriven-<sequence>-<filed ms>`, or its own when its success is recorded): its status is `/api/v1/commands/{id}`. */
  redrivenAs: string;
}
/**
 * Sends a dead-lettered command again once an operator has mended its cause (a newer version
 * handles it, a fault was fixed): as a new command (the one filed is recorded failed, which a
 * command id keeps for good), its payload the one filed, the operator its actor, the filed
 * command its cause, its correlation the filed one's; or, when the filed command's success is
 * recorded, under its own id (its service answers that and finishes what it had left). The
 * letter is removed, and who sent it again, and as what, stays in the log.
 */
export const RedriveDeadLetter = command<typeof redriveDeadLetter, RedrivenDeadLetter>('cmd.telemetry.redrive-dead-letter.v1', redriveDeadLetter);
export const DeadLetterRedriven = event('deadletter.redriven.v1', z.object({
  sequence: z.number(), subject: z.string(), reason: z.string(), deliveries: z.number(), deadAt: z.string(),
  commandId: z.string(), redrivenAs: z.string(), redrivenAt: z.string(),
}));
/** The id a dead letter's command is sent again under: one per filed message, so a redelivered redrive sends it once. */
export const redrivenCommandId = (letter: Pick<DeadLetter, 'sequence' | 'deadAt'>): string => `redriven-${letter.sequence}-${Date.parse(letter.deadAt)}`;
/** One stream per filed message: its sequence and when it was filed (a recreated stream numbers from 1 again). */
export const deadLetterStreamId = (letter: Pick<DeadLetter, 'sequence' | 'deadAt'>): string => `deadletter-${letter.sequence}-${Date.parse(letter.deadAt)}`;

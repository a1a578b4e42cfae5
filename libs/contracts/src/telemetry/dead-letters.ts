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
  commandId?: string;
  actor?: unknown;
  issuedAt?: string;
  /** The payload as kept: values under secret-named keys were replaced before filing. */
  payload?: unknown;
  /** Set instead of the envelope's fields when the body was not JSON (not shown: it could hold anything). */
  undecodableBytes?: number;
}

const listDeadLetters = z.object({
  /** Resume after this sequence (the last one seen); 0 reads from the oldest kept. */
  after: wholeNumber().min(0).default(0),
  limit: wholeNumber().min(1).max(100).default(20),
}).strict();

export interface DeadLettersPage {
  deadLetters: DeadLetter[];
  /** Sequence to pass as `after` for the next page (the last one returned, or `after`). */
  next: number;
}

export const ListDeadLetters = query<typeof listDeadLetters, DeadLettersPage>('qry.telemetry.dead-letters.v1', listDeadLetters);

const discardDeadLetter = z.object({ sequence: wholeNumber().min(1) }).strict();
/** Removes a dead letter an operator has dealt with; who did, and what it was, stays in the log. */
export const DiscardDeadLetter = command<typeof discardDeadLetter, DeadLetter>('cmd.telemetry.discard-dead-letter.v1', discardDeadLetter);
export const DeadLetterDiscarded = event('deadletter.discarded.v1', z.object({
  sequence: z.number(), subject: z.string(), reason: z.string(), deliveries: z.number(), deadAt: z.string(),
  commandId: z.string().optional(), discardedAt: z.string(),
}));
/** One stream per filed message: its sequence and when it was filed (a recreated stream numbers from 1 again). */
export const deadLetterStreamId = (letter: Pick<DeadLetter, 'sequence' | 'deadAt'>): string => `deadletter-${letter.sequence}-${Date.parse(letter.deadAt)}`;

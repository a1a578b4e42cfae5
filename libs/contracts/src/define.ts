import type { z } from 'zod';

/**
 * A message contract: its subject, its payload schema and (for commands and queries)
 * the type of the value it answers with. Subjects are versioned: `cmd.deployer.x.v1`.
 */
export interface Contract<S extends z.ZodType, R = unknown> {
  kind: 'command' | 'query';
  subject: string;
  schema: S;
  /** Phantom: the reply value type, for callers' inference only. */
  readonly _reply?: R;
  /**
   * A query its callers may send again to another instance of its service when the one NATS
   * chose does not answer (HedgedRequests): a read with no effect, no limit of its own on
   * how many run at once, and no meaning in which instance answers (a health check has one).
   */
  hedged?: boolean;
}

/** The subject of every command contract defined in this process (see definedCommandSubjects). */
const commandSubjects = new Set<string>();

export function command<S extends z.ZodType, R>(subject: `cmd.${string}.v${number}`, schema: S): Contract<S, R> {
  commandSubjects.add(subject);
  return { kind: 'command', subject, schema };
}

/**
 * The subjects of the command contracts this process knows (each `command()` adds its own):
 * the bus's COMMANDS stream takes these, so a command on a subject no version defines is
 * refused as it is published rather than kept where no consumer takes it.
 */
export function definedCommandSubjects(): string[] {
  return [...commandSubjects].sort();
}

export function query<S extends z.ZodType, R>(subject: `qry.${string}.v${number}`, schema: S, options: { hedged?: boolean } = {}): Contract<S, R> {
  return { kind: 'query', subject, schema, ...(options.hedged ? { hedged: true } : {}) };
}

export type PayloadOf<C> = C extends Contract<infer S, unknown> ? z.infer<S> : never;
export type ReplyOf<C> = C extends Contract<z.ZodType, infer R> ? R : never;

/** An event contract: the log's `type` column and the `EVENTS` subject derive from it. */
export interface EventContract<T extends string, S extends z.ZodType> {
  type: T;
  subject: `evt.${T}`;
  schema: S;
}

export function event<T extends `${string}.${string}.v${number}`, S extends z.ZodType>(type: T, schema: S): EventContract<T, S> {
  return { type, subject: `evt.${type}`, schema };
}

export type EventDataOf<E> = E extends EventContract<string, infer S> ? z.infer<S> : never;

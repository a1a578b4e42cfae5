import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/nats-core';
import type { CommandEnvelope, RefusalRecordRef, Reply } from '@slipway/contracts';
import type { BusOptions } from './bus';

export interface JetStreamServerOptions extends BusOptions {
  /** The service name: its commands are `cmd.<service>.>`, its queries `qry.<service>.>`. */
  service: string;
  /**
   * Commands pulled at once by this process (the pull's batch, default 64). What bounds the
   * commands in flight is `inFlight`.
   */
  concurrency?: number;
  /**
   * Commands delivered and not yet settled, across all the service's processes (the
   * consumer's max_ack_pending, default 1,000): the rest wait in JetStream. A service whose
   * commands are large and handled one at a time anyway (the config-store's uploads) keeps
   * it low, so that a burst is not held in memory at once.
   */
  inFlight?: number;
  maxDeliveries?: number;
  /**
   * Records a command's refusal (idempotently) when the handler refused before reaching
   * the command log — a payload that fails validation, a dead-lettered command — so that
   * its status reads as failed instead of pending forever. Only final refusals
   * (DomainError.final): an `unavailable` one asks the sender to retry. Resolves to the
   * outcome recorded before, when the command had one: that is its answer.
   */
  recordRefusal?: (refusal: { commandId: string; subject: string; reply: Reply; fingerprint?: string }) => Promise<{ subject: string; reply: Reply; fingerprint?: string } | undefined>;
  /**
   * Records a refusal that asks to retry shortly (not an outcome), before it is answered:
   * a resend JetStream drops as a duplicate is then published again by CommandBus, once the
   * refused message's `record` (answered-refusals.ts) says it never runs.
   */
  recordRetryable?: (refusal: { commandId: string; subject: string; reply: Reply; record?: RefusalRecordRef }) => Promise<void>;
  /**
   * As recordRefusal, for a command moved to the dead-letter stream: one whose success is
   * recorded (what it recorded was not carried out) is noted so, for its status to say.
   * recordRefusal when not given.
   */
  recordDeadLettered?: JetStreamServerOptions['recordRefusal'];
  /** Reads an event from the log by position: handlers get the log's event, not the message (relay.ts). */
  readEvent?: (position: number) => Promise<unknown>;
}

/**
 * `@MessagePattern(subject, ERASED_AFTER_HANDLING)`: the command carries secret values, so
 * once handled its message is erased from COMMANDS (overwritten on disk by the server), not
 * only acked — an acked message of a work queue is only marked deleted, and its bytes stay
 * in the stream's files until the server compacts them.
 */
export const ERASED_AFTER_HANDLING = { erase: true } as const;

/**
 * `@MessagePattern(subject, erasedWhen(holdsSecrets))`: erased as above only when its payload
 * does carry secret values (a target's annotations may): most such commands carry none, and
 * an erasure costs a request to the server per command.
 */
export const erasedWhen = (holdsSecrets: (payload: unknown) => boolean) => ({ erase: holdsSecrets });

/** Whether a command's message is erased once handled, by its handler's `erase` extra and its payload. */
export function erasedOnceHandled(extras: Record<string, unknown> | undefined, payload: unknown): boolean {
  const erase = extras?.erase;
  if (typeof erase !== 'function') return erase === true;
  try {
    return (erase as (payload: unknown) => boolean)(payload) === true;
  } catch {
    // A payload the rule cannot read may hold anything: erased.
    return true;
  }
}

export class JetStreamContext extends BaseRpcContext<[string, JsMsg | Msg]> {
  get subject(): string {
    return this.args[0];
  }
}

/** Whether a command dead-lettered is kept without its payload: as erased once handled; bytes that are not JSON, whenever its handler erases any. */
export function erasedIfDeadLettered(extras: Record<string, unknown> | undefined, envelope: CommandEnvelope | undefined): boolean {
  return envelope === undefined ? extras?.erase !== undefined : erasedOnceHandled(extras, envelope?.payload);
}

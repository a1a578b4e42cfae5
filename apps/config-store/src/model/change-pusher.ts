import { Inject, Injectable } from '@nestjs/common';
import { DependencyDown, ISSUED_BEFORE_SENT_MS, type CommandBus } from '@slipway/bus';
import { DomainError, PushConfigs, pushIdOf, pushOfChanged, type ApplyOutcome, type CommandEnvelope, type Reply } from '@slipway/contracts';

/**
 * How long a write may have waited for its push to be dated as of the write: half the bus's
 * bound on how long before it reaches the bus a command may be dated, so that the push,
 * handed over late, is never refused for its date.
 */
const HELD_AT_MOST_MS = ISSUED_BEFORE_SENT_MS / 2;

/** Injection token for the config-store's connection to send commands on. */
export const CONFIG_COMMANDS = Symbol('CONFIG_COMMANDS');

/**
 * Hands the push of what a committed write changed to JetStream before the write is
 * answered (and acked), so the change reaches the cluster whoever sent the write and
 * whether or not anyone waits for it: a gateway that answered 202 and stopped, a publisher
 * on NATS. Delivered again (a lost ack, a crash after the commit), the write answers its
 * recorded outcome and hands the same push over again: one push, by its derived id.
 */
@Injectable()
export class ChangePusher {
  constructor(@Inject(CONFIG_COMMANDS) private readonly commands: CommandBus) {}

  async after<T extends ApplyOutcome>(envelope: CommandEnvelope, written: Promise<Reply<T>>, push = true): Promise<Reply<T>> {
    const reply = await written;
    if (!push || !reply.ok || reply.value.materialized.length === 0) return reply;
    try {
      await this.commands.send(PushConfigs, pushOfChanged(reply.value.materialized, envelope.commandId), {
        actor: envelope.actor, commandId: pushIdOf(envelope.commandId), correlationId: envelope.correlationId, causationId: envelope.commandId, waitMs: 0,
        // As of the write: a pause or a job's deletion issued after the write, handled before
        // its push (the config-store held the write), is not undone by it (supersededAfter).
        // Not past the bus's bound on a command's age (a write held a day): dated now then.
        ...(Date.now() - Date.parse(envelope.issuedAt) < HELD_AT_MOST_MS ? { issuedAt: envelope.issuedAt } : {}),
      });
    } catch (error) {
      // Not a refusal: the write is committed, and its answer is its outcome. The bus not
      // taking the push is retried in place for as long as it lasts (the write answers its
      // recorded outcome each time), never dead-lettered for it.
      const message = `committed, but its push could not be handed to the bus: ${error instanceof Error ? error.message : String(error)}`;
      throw isUnavailable(error) ? new DependencyDown(message, { cause: error }) : new Error(message, { cause: error });
    }
    return reply;
  }
}

const isUnavailable = (error: unknown): boolean => error instanceof DomainError && error.code === 'unavailable';

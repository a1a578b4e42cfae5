import { Inject, Injectable } from '@nestjs/common';
import type { CommandBus } from '@slipway/bus';
import { PushConfigs, pushIdOf, pushOfChanged, type ApplyOutcome, type CommandEnvelope, type Reply } from '@slipway/contracts';

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

  async after<T extends ApplyOutcome>(envelope: CommandEnvelope, written: Promise<Reply<T>>): Promise<Reply<T>> {
    const reply = await written;
    if (!reply.ok || reply.value.materialized.length === 0) return reply;
    try {
      await this.commands.send(PushConfigs, pushOfChanged(reply.value.materialized), {
        actor: envelope.actor, commandId: pushIdOf(envelope.commandId), correlationId: envelope.correlationId, waitMs: 0,
      });
    } catch (error) {
      // Not a refusal: the write is committed, and its answer is its outcome. Failing here
      // leaves the message unacked, to be delivered again and the push handed over then.
      throw new Error(`committed, but its push could not be handed to the bus: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return reply;
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import type { Actor, ApplyOutcome, Contract, ReplyOf } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { idempotencyOf } from '../../http/idempotency';
import { CommandAccepted } from '../../http/accepted';
import { applyChanged } from './apply-changed';
import { BackgroundPushes } from './background-pushes';
import { sendCommand } from './route';

/**
 * The document's synchronous writes (uploads, patches, image updates, rewrites, label
 * bindings): the config-store commits the write, then what it changed is pushed under an
 * id derived from the write's, and the answer carries both. A write still running at the
 * wait bound answers 202 (its status at /api/v1/commands/{id}) and its push follows in the
 * background, as for an asynchronous upload.
 */
@Injectable()
export class ConfigWrites {
  constructor(private readonly commands: CommandBus, private readonly pushes: BackgroundPushes) {}

  async write<C extends Contract<z.ZodType>>(
    contract: C, payload: unknown, actor: Actor, req: FastifyRequest, names: Record<string, string> = {},
  ): Promise<ApplyOutcome> {
    // The id is known up front: the push's id derives from it, so a retried request pushes once.
    const commandId = idempotencyOf(req, actor).commandId ?? randomUUID();
    let outcome: ReplyOf<C>;
    try {
      outcome = await sendCommand(this.commands, contract, payload, actor, req, names, { commandId });
    } catch (error) {
      if (error instanceof CommandAccepted) this.pushes.follow(commandId, actor);
      throw error;
    }
    return applyChanged(this.commands, actor, outcome as ApplyOutcome, commandId);
  }
}

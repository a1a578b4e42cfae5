import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import type { Actor, ApplyOutcome, Contract, ReplyOf } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { commandOptionsOf } from '../../http/command-options';
import { applyChanged } from './apply-changed';
import { sendCommand } from './route';

/**
 * The document's synchronous writes (uploads, patches, image updates, rewrites, label
 * bindings): the config-store commits the write and hands the push of what it changed to
 * JetStream under an id derived from the write's; the answer carries both, within one wait
 * bound (SLIPWAY_COMMAND_WAIT_MS) for the two. A write still
 * running at the wait bound answers 202 (its status at /api/v1/commands/{id}): its push
 * happens all the same, handed over by the config-store when it handles the write.
 */
@Injectable()
export class ConfigWrites {
  constructor(private readonly commands: CommandBus) {}

  async write<C extends Contract<z.ZodType>>(
    contract: C, payload: unknown, actor: Actor, req: FastifyRequest, names: Record<string, string> = {},
  ): Promise<ApplyOutcome> {
    // The id is known up front: the push's id derives from it, so a retried request pushes once.
    const { commandId = randomUUID(), correlationId = commandId, waitingSince = Date.now() } = commandOptionsOf(req, actor);
    // One bound for the request (its token check, write and push): the push waits what is left.
    const deadline = waitingSince + this.commands.waitMs;
    const outcome: ReplyOf<C> = await sendCommand(this.commands, contract, payload, actor, req, names, { commandId });
    return applyChanged(this.commands, actor, outcome as ApplyOutcome, { commandId, correlationId }, deadline - Date.now());
  }
}

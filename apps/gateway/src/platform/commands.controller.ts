import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { DomainError, quoted, GetCommandStatus, isSlipwayError, pushIdOf, redactRefusal, redactSecrets, replyValue, type ApplyOutcome, type CommandStatus, type Reply } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { send } from '../http/respond';
import { AnyToken } from '../http/route-marks';

/** Where a 202 points: the command's final outcome once its service has handled it. */
@Controller()
export class CommandsController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get('api/v1/commands/:id')
  @AnyToken()
  async status(@Param('id') commandId: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.identify(req);
    const status = replyValue(await this.commands.query(GetCommandStatus, { commandId }));
    if (status.status === 'unknown') {
      throw new DomainError('not-found', `no command ${quoted(commandId)} is known: it has no outcome and was never answered with 202 (status URLs come from 202 answers)`);
    }
    send(req, res, 200, { ...shownStatus(status), ...await this.pushOf(status) });
  }

  /**
   * A config write answers with what its push applied (the Instabase writes), and its push
   * has a status of its own, under an id derived from the write's: a 202 pointed at the
   * write, so the write's status carries its push's, once the config-store handed it over.
   */
  private async pushOf(status: CommandStatus): Promise<{ push?: unknown }> {
    const reply = status.outcome as Reply<Partial<ApplyOutcome>> | undefined;
    if (!status.subject?.startsWith('cmd.config.') || !reply?.ok || !(reply.value.materialized?.length)) return {};
    const pushId = pushIdOf(status.commandId);
    const push = await this.commands.query(GetCommandStatus, { commandId: pushId });
    if (!push.ok || push.value.status === 'unknown') return {};
    return { push: { ...shownStatus(push.value), statusUrl: `/api/v1/commands/${pushId}` } };
  }
}

/** An error as clients see it: its finality is the bus's business (the status says it already). */
function shownError(error: unknown): unknown {
  if (!isSlipwayError(error)) return error;
  const { final: _final, ...shown } = error;
  return redactRefusal(shown);
}

/**
 * A command's status as clients read it: without what is the bus's (the fingerprint, for a
 * sender of the same id to tell its command from another; refusals' finality and records), and with
 * secret-looking values `[redacted]`, as the audit log shows the command's events: any token
 * may follow a status URL, and the audit log lists every command's id.
 */
export function shownStatus(status: CommandStatus): Omit<CommandStatus, 'fingerprint'> {
  const { fingerprint: _fingerprint, outcome, lastRefusal, ...rest } = status;
  const reply = outcome as Reply | undefined;
  return {
    ...rest,
    ...(reply ? { outcome: reply.ok ? redactSecrets(reply) : { ok: false, error: shownError(reply.error) } } : {}),
    ...(lastRefusal ? { lastRefusal: { error: shownError(lastRefusal.error), refusedAt: lastRefusal.refusedAt } } : {}),
  };
}

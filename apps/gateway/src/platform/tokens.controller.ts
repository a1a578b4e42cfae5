import { randomBytes } from 'node:crypto';
import { Body, Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, parsePayload } from '@slipway/bus';
import { DomainError, hashToken, IssueToken, ListTokens, newToken, replyValue, RevokeToken, WithdrawToken, type Actor } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { tokenOf } from '../auth/token-header';
import { commandOptionsOf, correlationOf } from '../http/command-options';
import { outcomeOf } from '../http/outcome';
import { parseBody } from '../http/parse-body';
import { send } from '../http/respond';
import { AnyToken, Needs } from '../http/route-marks';

const TOKEN_ID = /^[0-9a-f]{64}$/;

function tokenId(id: string): string {
  if (!TOKEN_ID.test(id)) throw new DomainError('invalid', 'a token id is the token\'s SHA-256 hash: 64 lowercase hex digits', 'id');
  return id;
}

/**
 * The least an issue waits for the deployer, whatever SLIPWAY_COMMAND_WAIT_MS says: a token
 * cannot be answered 202 (its secret is in the answer or nowhere), so with a shorter bound
 * (0 answers every other write 202) no token could ever be issued.
 */
const ISSUE_WAIT_MS = 5_000;

/**
 * Access tokens, for an admin on every namespace (as Nomad's ACL tokens): issue one with
 * grants per namespace — its secret is in that answer and nowhere else, only its SHA-256
 * hash is kept, and that hash is its id — list them, revoke one for good. Any token can
 * read what it is itself, and revoke itself.
 */
@Controller()
export class TokensController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Post('api/v1/tokens')
  @Needs('admin')
  async issue(@Body() body: unknown, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const request = await parseBody(body, req.headers['content-type']);
    if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new DomainError('invalid', 'the body must be an object: {"principal": ..., "grants": [...]}');
    if ('tokenHash' in request) throw new DomainError('invalid', 'tokenHash: not accepted; Slipway generates the token', 'tokenHash');
    // A retry could not be answered the first token (its secret is kept nowhere): the key
    // would promise what this route cannot keep, so it is refused rather than ignored.
    if (req.headers['idempotency-key'] !== undefined) {
      throw new DomainError('invalid', 'Idempotency-Key: not taken here; a token is shown once, so a retried request issues another (revoke the unused one)', 'Idempotency-Key');
    }
    // A new secret for every request: a retried POST issues another token (revoke the unused one).
    const token = newToken(randomBytes);
    const tokenHash = hashToken(token);
    const correlationId = correlationOf(req);
    const payload = parsePayload(IssueToken, { ...request, tokenHash });
    // Not known to be taken (the bus did not answer whether it stored the command): it may
    // still be carried out, so it is withdrawn as one answered 202 is.
    const sent = await this.commands.send(IssueToken, payload, { actor, correlationId, waitMs: Math.max(this.commands.waitMs, ISSUE_WAIT_MS) }).catch(async (error: unknown) => {
      if (error instanceof DomainError && error.code === 'unavailable') return this.withdraw(tokenHash, actor, correlationId);
      throw error;
    });
    if (sent.status === 'accepted') await this.withdraw(tokenHash, actor, correlationId);
    const principal = outcomeOf(sent);
    // Taken from its first request here, whatever this gateway was answered of its hash before.
    this.auth.forget(tokenHash);
    res.header('location', `/api/v1/tokens/${tokenHash}`);
    send(req, res, 201, { id: tokenHash, ...principal, token });
  }

  /**
   * A token's secret is in the answer that issues it and nowhere else: one issued after its
   * requester was answered anything else (202 at the wait bound) is a live credential nobody
   * holds. So the request is withdrawn (revoked, whether the deployer has issued it yet or
   * not) and refused: the client retries for a new token.
   */
  private async withdraw(tokenHash: string, actor: Actor, correlationId: string | undefined): Promise<never> {
    try {
      await this.commands.send(WithdrawToken, { tokenHash }, { actor, correlationId, waitMs: 0 });
    } catch {
      throw new DomainError('unavailable', `the deployer did not answer in time and the request could not be withdrawn: token ${tokenHash} may be issued without anyone holding its secret; revoke it (DELETE /api/v1/tokens/${tokenHash}) if GET /api/v1/tokens lists it, then retry`);
    }
    throw new DomainError('unavailable', 'the deployer did not answer in time, so no token was issued (the request is withdrawn and its secret discarded); retry');
  }

  /** Any valid token: whom it stands for and what it may do (Nomad's token/self). */
  @Get('api/v1/tokens/self')
  @AnyToken()
  async self(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const principal = await this.auth.identify(req);
    send(req, res, 200, { id: hashToken(tokenOf(req)!), ...principal });
  }

  /**
   * Any valid token revokes itself (Vault's revoke-self): a holder done with it, or who finds
   * it leaked, need not ask an admin. Answered as a revocation by its id is.
   */
  @Delete('api/v1/tokens/self')
  @AnyToken()
  async revokeSelf(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const { principal } = await this.auth.identify(req);
    const id = hashToken(tokenOf(req)!);
    await this.revokeAs({ principal, kind: 'token', tokenId: id }, id, req, res);
  }

  @Get('api/v1/tokens')
  @Needs('admin')
  async list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, { tokens: replyValue(await this.commands.query(ListTokens, {})) });
  }

  /** One token, where the answer that issued it points (Location): as the list shows it. */
  @Get('api/v1/tokens/:id')
  @Needs('admin')
  async read(@Param('id') id: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    tokenId(id);
    const token = replyValue(await this.commands.query(ListTokens, {})).find((listed) => listed.id === id);
    if (!token) throw new DomainError('not-found', `no live token has the id ${id} (revoked, withdrawn or never issued)`, 'id');
    send(req, res, 200, token);
  }

  @Delete('api/v1/tokens/:id')
  @Needs('admin')
  async revoke(@Param('id') id: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    await this.revokeAs(actor, tokenId(id), req, res);
  }

  /**
   * Idempotency-Key as on every other write: a retried revocation answers the first outcome.
   * Revoked (200), this gateway stops taking it at once; others within their cache's few
   * seconds. Answered 202, it is forgotten here too, but a lookup made before the revocation
   * is carried out may keep it for those seconds, as elsewhere.
   */
  private async revokeAs(actor: Actor, id: string, req: FastifyRequest, res: FastifyReply): Promise<void> {
    const sent = await this.commands.send(RevokeToken, { tokenHash: id }, { actor, ...commandOptionsOf(req, actor) }).finally(() => this.auth.forget(id));
    send(req, res, 200, outcomeOf(sent));
  }
}

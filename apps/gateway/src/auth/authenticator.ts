import { Injectable } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { allows, Authenticate, DomainError, hashToken, replyValue, type Actor, type Capability, type Principal } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { queryWaitFor, startWaiting } from '../http/wait-clock';
import { tokenOf } from './token-header';

const CACHE_MS = 5_000;

/**
 * Resolves the request's token to a principal through the deployer's token store and
 * checks a capability in a namespace. Answers are cached briefly: a revoked or changed
 * token takes effect within CACHE_MS.
 */
@Injectable()
export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  /** Bumped by every `forget`: an answer asked for before it may predate the revocation, and is not kept. */
  private forgotten = 0;

  constructor(private readonly commands: CommandBus) {}

  /** Any valid token: for resources addressed by unguessable ids (command status). */
  async identify(request: FastifyRequest): Promise<Principal> {
    return (await this.identified(request)).principal;
  }

  /** A valid token holding `capability` in `namespace` (undefined = in every namespace). */
  async require(request: FastifyRequest, namespace: string | undefined, capability: Capability): Promise<Actor> {
    const { principal, tokenHash } = await this.identified(request);
    if (!allows(principal, namespace, capability)) {
      throw new DomainError('forbidden', `token "${principal.principal}" lacks the "${capability}" capability${namespace ? ` in namespace "${namespace}"` : ' on every namespace'}`);
    }
    // A token's id is its SHA-256 hash, also its stream's name in the log: issued tokens are
    // 32 random bytes, and the bootstrap token is refused under 32 characters (bootstrap-admin.ts).
    return { principal: principal.principal, kind: 'token', tokenId: tokenHash };
  }

  /** Whether the request's (valid) token holds `capability` in `namespace` (undefined = in every namespace). */
  async holds(request: FastifyRequest, namespace: string | undefined, capability: Capability): Promise<boolean> {
    return allows(await this.identify(request), namespace, capability);
  }

  /** Drops what this gateway remembers of a token (its hash): after a revocation here. */
  forget(tokenHash: string): void {
    this.forgotten++;
    this.cache.delete(tokenHash);
  }

  /** The request's token, by its hash (its id), and whom it stands for. */
  private async identified(request: FastifyRequest): Promise<{ principal: Principal; tokenHash: string }> {
    const token = tokenOf(request);
    if (!token) throw new DomainError('unauthorized', 'missing token: send "Authorization: Bearer <token>" (or "Token", or "X-Nomad-Token")');
    const tokenHash = hashToken(token);
    startWaiting(request);
    return { principal: await this.principalOf(tokenHash, queryWaitFor(request, this.commands.waitMs)), tokenHash };
  }

  /** `waitMs`: how long the deployer may take to answer (within the request's bound). */
  private async principalOf(tokenHash: string, waitMs: number): Promise<Principal> {
    const cached = this.cache.get(tokenHash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const asked = this.forgotten;
    // Within the request's wait bound (its command waits what the check leaves of it).
    const answer = await this.commands.query(Authenticate, { tokenHash }, waitMs);
    // Said as what it is, whatever the request: a write refused here was never sent.
    if (!answer.ok && answer.error.code === 'unavailable') throw new DomainError('unavailable', `the token could not be checked, so nothing was done: ${answer.error.message}`);
    const principal = replyValue(answer);
    if (asked !== this.forgotten) return principal;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }
}

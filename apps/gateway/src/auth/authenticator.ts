import { Injectable } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { allows, Authenticate, DomainError, hashToken, type Actor, type Capability, type Principal } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { queryWaitFor, startWaiting } from '../http/wait-clock';
import { TokenAnswers } from './token-answers';
import { tokenOf } from './token-header';

/**
 * Resolves the request's token to a principal through the deployer's token store and
 * checks a capability in a namespace. The store's answers, principals and refusals, are
 * kept a few seconds (TokenAnswers), and one query answers every request that asks about a
 * token while it is under way.
 */
@Injectable()
export class Authenticator {
  private readonly answers = new TokenAnswers();
  private readonly asking = new Map<string, Promise<Principal>>();
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

  /** Drops what this gateway remembers of a token (its hash): after a revocation or an issue here. */
  forget(tokenHash: string): void {
    this.forgotten++;
    this.answers.forget(tokenHash);
    this.asking.delete(tokenHash);
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
    const kept = this.answers.recall(tokenHash);
    if (kept) {
      if ('principal' in kept) return kept.principal;
      throw new DomainError('unauthorized', kept.refused);
    }
    return this.asking.get(tokenHash) ?? this.ask(tokenHash, waitMs);
  }

  private ask(tokenHash: string, waitMs: number): Promise<Principal> {
    const asked = this.forgotten;
    const asking = this.commands.query(Authenticate, { tokenHash }, waitMs).then((answer) => {
      const keep = asked === this.forgotten;
      if (answer.ok) {
        if (keep) this.answers.keep(tokenHash, { principal: answer.value });
        return answer.value;
      }
      // Said as what it is, whatever the request: a write refused here was never sent.
      if (answer.error.code === 'unavailable') throw new DomainError('unavailable', `the token could not be checked, so nothing was done: ${answer.error.message}`);
      if (keep && answer.error.code === 'unauthorized') this.answers.keep(tokenHash, { refused: answer.error.message });
      throw DomainError.from(answer.error);
    }).finally(() => {
      if (this.asking.get(tokenHash) === asking) this.asking.delete(tokenHash);
    });
    this.asking.set(tokenHash, asking);
    return asking;
  }
}

import { Injectable } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { allows, Authenticate, DomainError, hashToken, type Actor, type Capability, type Principal } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { neededBy } from '../http/route-marks';
import { queryWaitFor, startWaiting, waitAnew } from '../http/wait-clock';
import { KEEP_MS, TokenAnswers } from './token-answers';
import { missingTokenReason, tokenOf } from './token-header';

/**
 * A request's token, by its hash (its id), whom it stands for, and how long finding that took;
 * `forgotten` and `at`: as of which forget and when it was found, for the handler's check to
 * tell whether it may still stand (a body may take long to arrive after it).
 */
interface Identified { principal: Principal; tokenHash: string; checkMs: number; forgotten: number; at: number }

/**
 * Resolves the request's token to a principal through the deployer's token store and
 * checks a capability in a namespace. A request's token is looked up once, before its body
 * is read (authenticate-first.ts); every later check of the request reads that answer. The
 * store's answers, principals and refusals, are kept a few seconds (TokenAnswers), and one
 * query answers every request that asks about a token while it is under way.
 */
@Injectable()
export class Authenticator {
  private readonly answers = new TokenAnswers();
  private readonly asking = new Map<string, Promise<Principal>>();
  private readonly identities = new WeakMap<FastifyRequest, Identified>();
  /** Bumped by every `forget`: an answer asked for before it may predate the revocation, and is not kept. */
  private forgotten = 0;

  constructor(private readonly commands: CommandBus) {}

  /**
   * Who sends the request, holding what its route needs (`Needs`), or a 401 or 403: before
   * its body is read, with no wait bound started (its upload is the client's time).
   */
  async authorize(request: FastifyRequest): Promise<void> {
    const { principal } = await this.identifiedOnce(request);
    const needed = routeNeeds(request);
    if (needed.capability !== 'any token') refuseUnless(principal, needed.namespace, needed.capability);
  }

  /** The request's actor, its token holding what its route needs (`Needs`): checked again once its body is in. */
  async authorized(request: FastifyRequest): Promise<Actor> {
    const needed = routeNeeds(request);
    if (needed.capability === 'any token') return actorOf(await this.identified(request));
    return this.require(request, needed.namespace, needed.capability);
  }

  /**
   * `authorized` for a request that lasts (an event stream): its token looked up again, as a
   * new request's would be, within a wait bound of its own, so that a revocation ends it.
   */
  async authorizedAgain(request: FastifyRequest): Promise<Actor> {
    this.identities.delete(request);
    waitAnew(request);
    return this.authorized(request);
  }

  /** Any valid token: for resources addressed by unguessable ids (command status). */
  async identify(request: FastifyRequest): Promise<Principal> {
    return (await this.identified(request)).principal;
  }

  /** A valid token holding `capability` in `namespace` (undefined = in every namespace). */
  async require(request: FastifyRequest, namespace: string | undefined, capability: Capability): Promise<Actor> {
    const identified = await this.identified(request);
    refuseUnless(identified.principal, namespace, capability);
    return actorOf(identified);
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

  /**
   * The request's identity, its wait bound started (commandOptionsOf) as long before now as its
   * token check took: the check counts towards the bound, the body's upload after it does not.
   */
  private async identified(request: FastifyRequest): Promise<Identified> {
    let identified = await this.identifiedOnce(request);
    // Found before the body arrived: a token revoked here since (or whose answer is no longer
    // kept, as one revoked elsewhere may be) is looked up again, as a request sent now would be.
    if (identified.forgotten !== this.forgotten || Date.now() - identified.at > KEEP_MS) {
      const began = Date.now();
      const principal = await this.principalOf(identified.tokenHash, queryWaitFor(request, this.commands.waitMs));
      identified = { ...identified, principal, checkMs: identified.checkMs + Date.now() - began, forgotten: this.forgotten, at: Date.now() };
      this.identities.set(request, identified);
    }
    startWaiting(request, Date.now() - identified.checkMs);
    return identified;
  }

  private async identifiedOnce(request: FastifyRequest): Promise<Identified> {
    const known = this.identities.get(request);
    if (known) return known;
    const token = tokenOf(request);
    if (!token) throw new DomainError('unauthorized', missingTokenReason(request));
    const tokenHash = hashToken(token);
    const began = Date.now();
    const forgotten = this.forgotten;
    // Within the request's wait bound (the full bound for the check before the body: none is begun).
    const principal = await this.principalOf(tokenHash, queryWaitFor(request, this.commands.waitMs));
    const identified = { principal, tokenHash, checkMs: Date.now() - began, forgotten, at: Date.now() };
    this.identities.set(request, identified);
    return identified;
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

function refuseUnless(principal: Principal, namespace: string | undefined, capability: Capability): void {
  if (!allows(principal, namespace, capability)) {
    throw new DomainError('forbidden', `token "${principal.principal}" lacks the "${capability}" capability${namespace ? ` in namespace "${namespace}"` : ' on every namespace'}`);
  }
}

// A token's id is its SHA-256 hash, also its stream's name in the log: issued tokens are
// 32 random bytes, and the bootstrap token is refused under 32 characters (bootstrap-admin.ts).
const actorOf = ({ principal, tokenHash }: Identified): Actor => ({ principal: principal.principal, kind: 'token', tokenId: tokenHash });

/** What the request's route needs, the namespace read from its path. A route that states nothing is a fault of the gateway's (server.ts refuses to start with one). */
function routeNeeds(request: FastifyRequest): { capability: Capability | 'any token'; namespace?: string } {
  const needed = neededBy(request);
  if (!needed) throw new Error(`${request.method} ${request.routeOptions.url} states no capability (Needs)`);
  const namespace = needed.namespaceParam === undefined ? undefined : (request.params as Record<string, string | undefined>)[needed.namespaceParam];
  return { capability: needed.capability, ...(namespace === undefined ? {} : { namespace }) };
}

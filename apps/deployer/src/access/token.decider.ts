import { DomainError, TokenIssued, TokenRevoked, type EventDataOf, type Grant } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

type Issued = EventDataOf<typeof TokenIssued>;
export type TokenEvent =
  | { type: typeof TokenIssued.type; data: Issued }
  | { type: typeof TokenRevoked.type; data: EventDataOf<typeof TokenRevoked> };
export type TokenState = { issued?: Issued; revoked?: boolean };
export type TokenCommand =
  | { kind: 'issue'; principal: string; tokenHash: string; grants: Grant[]; now: string }
  | { kind: 'revoke'; tokenHash: string; now: string }
  /** Revoked whether issued or not (yet): a request withdrawn before or after it was handled. */
  | { kind: 'withdraw'; tokenHash: string; now: string };

const sameGrants = (a: Grant[], b: Grant[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A token is known only by its hash; issuing it again with other grants replaces them.
 * Revoking is for good: a revoked token (one that leaked, say) is never valid again.
 */
export const tokenDecider: Decider<TokenState, TokenCommand, TokenEvent> = {
  initialState: () => ({}),
  evolve: (state, event) => (event.type === TokenIssued.type ? { issued: event.data } : { ...state, revoked: true }),
  decide(command, state) {
    if (command.kind === 'withdraw') {
      return state.revoked ? [] : [{ type: TokenRevoked.type, data: { tokenHash: command.tokenHash, revokedAt: command.now } }];
    }
    if (command.kind === 'revoke') {
      if (state.revoked) throw new DomainError('not-found', `token ${command.tokenHash} is revoked already`);
      if (!state.issued) throw new DomainError('not-found', `no token with id ${command.tokenHash}`);
      return [{ type: TokenRevoked.type, data: { tokenHash: command.tokenHash, revokedAt: command.now } }];
    }
    if (state.revoked) throw new DomainError('conflict', 'this token was revoked and cannot be issued again: issue a new one');
    if (state.issued && state.issued.principal === command.principal && sameGrants(state.issued.grants, command.grants)) return [];
    return [{ type: TokenIssued.type, data: { principal: command.principal, tokenHash: command.tokenHash, grants: command.grants, issuedAt: command.now } }];
  },
};

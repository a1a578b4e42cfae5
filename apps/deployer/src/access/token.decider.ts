import { TokenIssued, type EventDataOf, type Grant } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

type Issued = EventDataOf<typeof TokenIssued>;
export type TokenEvent = { type: typeof TokenIssued.type; data: Issued };
export type TokenState = { issued?: Issued };
export type IssueTokenCommand = { principal: string; tokenHash: string; grants: Grant[]; now: string };

const sameGrants = (a: Grant[], b: Grant[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A token is known only by its hash; issuing it again with other grants replaces them. */
export const tokenDecider: Decider<TokenState, IssueTokenCommand, TokenEvent> = {
  initialState: () => ({}),
  evolve: (_state, event) => ({ issued: event.data }),
  decide(command, state) {
    if (state.issued && state.issued.principal === command.principal && sameGrants(state.issued.grants, command.grants)) return [];
    return [{ type: TokenIssued.type, data: { principal: command.principal, tokenHash: command.tokenHash, grants: command.grants, issuedAt: command.now } }];
  },
};

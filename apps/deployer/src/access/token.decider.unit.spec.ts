import { TokenIssued, TokenRevoked, type Grant } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { tokenDecider, type TokenCommand, type TokenEvent } from './token.decider';

const now = '2026-12-03T06:00:00.000Z';
const tokenHash = 'a'.repeat(64);
const grants: Grant[] = [{ namespace: 'team-a', capabilities: ['read'] }];

function given(events: TokenEvent[]) {
  const state = fold(tokenDecider, events);
  return { when: (command: TokenCommand) => () => tokenDecider.decide(command, state) };
}
const issue = (g: Grant[] = grants): TokenCommand => ({ kind: 'issue', principal: 'ci', tokenHash, grants: g, now });
const revoke: TokenCommand = { kind: 'revoke', tokenHash, now };
const issued: TokenEvent = { type: TokenIssued.type, data: { principal: 'ci', tokenHash, grants, issuedAt: now } };
const revoked: TokenEvent = { type: TokenRevoked.type, data: { tokenHash, revokedAt: now } };

describe('token decider', () => {
  it('issues a token, and issuing it again alike changes nothing', () => {
    expect(given([]).when(issue())()).toEqual([issued]);
    expect(given([issued]).when(issue())()).toEqual([]);
  });

  it('replaces the grants when issued again with others', () => {
    const admin: Grant[] = [{ namespace: '*', capabilities: ['admin'] }];
    expect(given([issued]).when(issue(admin))()).toEqual([{ type: TokenIssued.type, data: { principal: 'ci', tokenHash, grants: admin, issuedAt: now } }]);
  });

  it('revokes an issued token', () => {
    expect(given([issued]).when(revoke)()).toEqual([revoked]);
  });

  it('refuses to revoke a token never issued, or revoked already', () => {
    expect(given([]).when(revoke)).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(given([issued, revoked]).when(revoke)).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('never issues a revoked token again, whatever the grants', () => {
    expect(given([issued, revoked]).when(issue())).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('revoked') }));
  });

  it('withdraws a request whether it was issued yet or not, for good; withdrawing again changes nothing', () => {
    const withdraw: TokenCommand = { kind: 'withdraw', tokenHash, now };
    expect(given([]).when(withdraw)()).toEqual([revoked]);
    expect(given([issued]).when(withdraw)()).toEqual([revoked]);
    expect(given([revoked]).when(withdraw)()).toEqual([]);
    // the issue handled after its withdrawal is refused: the token never becomes valid
    expect(given([revoked]).when(issue())).toThrow(/revoked and cannot be issued again/);
  });
});

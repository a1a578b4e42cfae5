import { DomainError } from '@slipway/contracts';
import { TokenHolds } from './token-holds';

describe('TokenHolds', () => {
  it('refuses a token past its bound, limited, until one it holds is released; other tokens are counted apart', () => {
    const holds = new TokenHolds(2, (held) => `holds ${held}`);
    const first = holds.hold('a');
    holds.hold('a');
    expect(() => holds.hold('a')).toThrow(new DomainError('limited', 'holds 2'));
    expect(() => holds.hold('b')).not.toThrow();
    first();
    first();
    // released once only: one more fits, not two
    holds.hold('a');
    expect(() => holds.hold('a')).toThrow(DomainError);
  });
});

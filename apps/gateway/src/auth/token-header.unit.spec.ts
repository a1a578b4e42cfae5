import type { FastifyRequest } from 'fastify';
import { redactSecretShapes } from '@slipway/contracts';
import { missingTokenReason, tokenOf } from './token-header';

const withAuthorization = (value: string) => ({ headers: { authorization: value } }) as unknown as FastifyRequest;

describe('tokenOf', () => {
  it('reads a Bearer token after one or more spaces, whatever the scheme\'s case', () => {
    expect(['Bearer slw_abc', 'bearer  slw_abc', 'BEARER slw_abc'].map((value) => tokenOf(withAuthorization(value)))).toEqual(['slw_abc', 'slw_abc', 'slw_abc']);
  });

  it('reads no token after a no-break space, a tab or nothing: those are no Bearer credentials', () => {
    expect(['Bearer\u00a0slw_abc', 'Bearer\tslw_abc', 'Bearerslw_abc', 'Basic dXNlcjpwYXNz'].map((value) => tokenOf(withAuthorization(value)))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('says why an Authorization header carries no token, without quoting it: another scheme (named when it is a short word), or more than a Bearer token', () => {
    expect(missingTokenReason({ headers: {} } as unknown as FastifyRequest)).toMatch(/^missing token: send "Authorization: Bearer <token>"/);
    expect(missingTokenReason(withAuthorization(' '))).toMatch(/^missing token: /);
    expect(missingTokenReason(withAuthorization('Basic dXNlcjpwYXNz'))).toMatch(/^no token: the Authorization header's scheme is "Basic", which carries none of Slipway's/);
    const pasted = `slw_${'Ab1'.repeat(14)}x`;
    expect(missingTokenReason(withAuthorization(pasted))).toMatch(/scheme is not Bearer/);
    expect(missingTokenReason(withAuthorization(pasted))).not.toContain(pasted);
    // A short credential sent without a scheme (admin:password1 in base64) is no scheme's name.
    expect(missingTokenReason(withAuthorization('YWRtaW46cGFzc3dvcmQx'))).toMatch(/scheme is not Bearer/);
    // As the refusal is sent: its own words are not taken for a secret's.
    const basic = missingTokenReason(withAuthorization('Basic dXNlcjpwYXNz'));
    expect(redactSecretShapes(basic)).toBe(basic);
    for (const value of [`Bearer ${pasted} extra`, `Bearer\t${pasted}`]) {
      expect(missingTokenReason(withAuthorization(value))).toMatch(/^no token: the Authorization header holds no Bearer token alone/);
      expect(missingTokenReason(withAuthorization(value))).not.toContain(pasted);
    }
  });
});

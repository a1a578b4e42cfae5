import type { FastifyRequest } from 'fastify';
import { tokenOf } from './token-header';

const withAuthorization = (value: string) => ({ headers: { authorization: value } }) as unknown as FastifyRequest;

describe('tokenOf', () => {
  it('reads a Bearer token after one or more spaces, whatever the scheme\'s case', () => {
    expect(['Bearer slw_abc', 'bearer  slw_abc', 'BEARER slw_abc'].map((value) => tokenOf(withAuthorization(value)))).toEqual(['slw_abc', 'slw_abc', 'slw_abc']);
  });

  it('reads no token after a no-break space, a tab or nothing: those are no Bearer credentials', () => {
    expect(['Bearer\u00a0slw_abc', 'Bearer\tslw_abc', 'Bearerslw_abc', 'Basic dXNlcjpwYXNz'].map((value) => tokenOf(withAuthorization(value)))).toEqual([undefined, undefined, undefined, undefined]);
  });
});

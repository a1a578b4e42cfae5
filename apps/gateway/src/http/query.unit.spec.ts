import type { FastifyRequest } from 'fastify';
import { queryOf } from './query';

const at = (url: string) => queryOf({ url } as FastifyRequest);
const refusal = (url: string) => {
  try {
    at(url);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('queryOf', () => {
  it('reads each parameter once, decoded, with + as a space', () => {
    expect(at('/api/v1/events?stream=target-a%2Fb*&type=x+y&since=')).toEqual({ stream: 'target-a/b*', type: 'x y', since: '' });
    expect(at('/api/v1/events')).toEqual({});
    expect(at('/api/v1/events?&flag')).toEqual({ flag: '' });
    expect(at('/api/v1/events?name=%C3%A9')).toEqual({ name: 'é' });
  });

  it('refuses a parameter given twice, and text that is no percent-encoding of UTF-8, naming the parameter', () => {
    expect(refusal('/api/v1/events?limit=1&limit=2')).toBe('limit: given more than once; send it once');
    expect(refusal('/api/v1/events?type=%ff')).toMatch(/^type: not valid percent-encoding/);
    expect(refusal('/api/v1/events?type=%')).toMatch(/^type: not valid percent-encoding/);
  });

  it('does not quote back a name that does not decode (a secret posted as a form by mistake)', () => {
    const refused = refusal('/api/v1/events?hunter2%ff');
    expect(refused).toMatch(/^a parameter name: not valid percent-encoding/);
    expect(refused).not.toContain('hunter2');
  });
});

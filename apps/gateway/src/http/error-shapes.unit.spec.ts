import { errorBody } from './error-shapes';

describe('an error body', () => {
  it('carries a refusal cut to a bounded size in every dialect, however much of its input the message quoted', () => {
    const refusal = { code: 'invalid' as const, message: `unknown field "${'k'.repeat(900_000)}"`, field: 'k'.repeat(900_000) };
    for (const dialect of ['ververica', 'instabase', 'platform', 'nomad', 'ote', 'datacater'] as const) {
      const text = JSON.stringify(errorBody(dialect, 400, refusal));
      expect(text).toContain('(900016 characters)');
      expect(text.length).toBeLessThan(20_000);
    }
  });

  it('names every status the gateway answers with a reason of its own, not the catch-all "Error" (an Expect it cannot meet: 417)', () => {
    const refusal = { code: 'invalid' as const, message: 'x' };
    for (const status of [400, 401, 403, 404, 405, 406, 408, 409, 411, 413, 414, 415, 417, 422, 429, 431, 500, 501, 503, 505]) {
      expect((errorBody('ververica', status, refusal) as { reason: string }).reason).not.toBe('Error');
    }
    expect(errorBody('datacater', 417, refusal)).toMatchObject({ error: 'ExpectationFailed' });
  });
});

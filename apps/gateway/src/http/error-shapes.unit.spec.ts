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
});

import { copySpans, redactCopies, secretValuesIn } from './secret-copies';

describe('copies of secret values in other text', () => {
  it('finds each copy, the longest value first where two start at one place, none overlapping and none in spans to leave', () => {
    const text = 'pw Hunter22 then Hunter22-old, not Hunt';
    expect(copySpans(text, ['Hunter22', 'Hunter22-old', 'Hun'])).toEqual([{ start: 3, end: 11 }, { start: 17, end: 29 }]);
    expect(copySpans(text, ['Hunter22'], [{ start: 0, end: 12 }])).toEqual([{ start: 17, end: 25 }]);
  });

  it('reads a value without the quotes its YAML or JSON string wears, and leaves values too short to tell', () => {
    expect(redactCopies('was "s3cret-x" and s3cret-x; abc', ['"s3cret-x"', "'abc'"])).toBe('was "[redacted]" and [redacted]; abc');
  });

  it('takes the values a patch keeps secret by the redaction\'s rules: a Secret\'s values, secret-named keys, URL passwords', () => {
    const patch = 'kind: ConfigMap\ndata:\n  DB_PASSWORD: "pw-in-config"\n  url: postgres://u:url-pw-77@db/x\n  mode: fast\n';
    const values = secretValuesIn(patch, false).join('\n');
    expect(values).toContain('pw-in-config');
    expect(values).toContain('url-pw-77');
    expect(values).not.toContain('fast');
    expect(redactCopies('rotated pw-in-config and url-pw-77; mode fast', secretValuesIn(patch, false))).toBe('rotated [redacted] and [redacted]; mode fast');
    expect(redactCopies('set s3cret-data', secretValuesIn('stringData:\n  anything: s3cret-data\n', true))).toBe('set [redacted]');
  });
});

import { shownMessage } from './shown-message';

describe('shownMessage', () => {
  it('leaves out the values the API server quotes in field errors, keeping what is wrong', () => {
    expect(shownMessage('Widget.example.com "w" is invalid: spec.auth.password: Invalid value: "hunter2": spec.auth.password in body should match \'^[a-z]+$\''))
      .toBe('Widget.example.com "w" is invalid: spec.auth.password: Invalid value: [value not shown]: spec.auth.password in body should match \'^[a-z]+$\'');
    expect(shownMessage('spec.mode: Unsupported value: "s3cret\\"quoted": supported values: "a", "b"')).toBe('spec.mode: Unsupported value: [value not shown]: supported values: "a", "b"');
    expect(shownMessage('spec.template.metadata.labels: Invalid value: map[string]string{"token":"abc"}: `selector` does not match template `labels`'))
      .toBe('spec.template.metadata.labels: Invalid value: [value not shown]: `selector` does not match template `labels`');
    expect(shownMessage('spec.replicas: Invalid value: -1')).toBe('spec.replicas: Invalid value: [value not shown]');
  });

  it('keeps every error of a list apart, and hides all of a value however it is printed', () => {
    expect(shownMessage('[spec.a: Invalid value: 5, spec.b: Invalid value: 6: must be positive, metadata.labels: Invalid value: 7, spec.x: Required value]'))
      .toBe('[spec.a: Invalid value: [value not shown], spec.b: Invalid value: [value not shown]: must be positive, metadata.labels: Invalid value: [value not shown], spec.x: Required value]');
    const map = shownMessage('data: Invalid value: map[string]string{"token":"abc: hunter2 tail"}: must be empty');
    expect(map).toBe('data: Invalid value: [value not shown]: must be empty');
    expect(shownMessage('spec.a: Invalid value: hunter2\nsecond line')).toBe('spec.a: Invalid value: [value not shown]\nsecond line');
    // a "Not found" is no value quoted by a field error
    expect(shownMessage('admission webhook "p" denied the request: Not found: the policy "p" does not exist'))
      .toBe('admission webhook "p" denied the request: Not found: the policy "p" does not exist');
  });

  it('redacts what looks like a secret in any other message (an admission webhook may quote the object)', () => {
    const shown = shownMessage('admission webhook "policy.example.com" denied the request: env DB_URL=postgres://app:pa55word@db/app, password=hunter2');
    expect(shown).not.toContain('pa55word');
    expect(shown).not.toContain('hunter2');
    expect(shown).toContain('admission webhook "policy.example.com" denied the request');
  });
});

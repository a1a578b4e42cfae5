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

  it('redacts what looks like a secret in any other message (an admission webhook may quote the object)', () => {
    const shown = shownMessage('admission webhook "policy.example.com" denied the request: env DB_URL=postgres://app:pa55word@db/app, password=hunter2');
    expect(shown).not.toContain('pa55word');
    expect(shown).not.toContain('hunter2');
    expect(shown).toContain('admission webhook "policy.example.com" denied the request');
  });
});

import { ERASED_AFTER_HANDLING, ERASED_WHEN_HOLDING_SECRETS, erasedOnceHandled } from './jetstream-options';

describe('erasedOnceHandled', () => {
  it('erases a command whose handler always erases, and none whose handler says nothing', () => {
    expect(erasedOnceHandled(ERASED_AFTER_HANDLING, { anything: 1 })).toBe(true);
    expect(erasedOnceHandled(undefined, { annotations: { 'db-password': 'hunter22' } })).toBe(false);
  });

  it('erases by the payload when the handler asks it to: only what holds a secret by the redaction rules', () => {
    const target = (annotations: Record<string, string>) => ({ namespace: 'ns', name: 't', labels: {}, annotations, kubernetesNamespace: 'k' });
    expect(erasedOnceHandled(ERASED_WHEN_HOLDING_SECRETS, target({ owner: 'team-a' }))).toBe(false);
    expect(erasedOnceHandled(ERASED_WHEN_HOLDING_SECRETS, target({ 'db-password': 'hunter22' }))).toBe(true);
    expect(erasedOnceHandled(ERASED_WHEN_HOLDING_SECRETS, target({ repo: 'https://ci:hunter22@git.example.com/x' }))).toBe(true);
  });

  it('erases when the rule cannot read the payload', () => {
    expect(erasedOnceHandled({ erase: () => { throw new Error('unreadable'); } }, {})).toBe(true);
  });
});

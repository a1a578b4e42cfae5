import { ERASED_AFTER_HANDLING, erasedOnceHandled, erasedWhen } from './jetstream-options';

describe('erasedOnceHandled', () => {
  it('erases a command whose handler always erases, and none whose handler says nothing', () => {
    expect(erasedOnceHandled(ERASED_AFTER_HANDLING, { anything: 1 })).toBe(true);
    expect(erasedOnceHandled(undefined, { annotations: { 'db-password': 'hunter22' } })).toBe(false);
  });

  it('erases by the payload when the handler says so', () => {
    const whenSecret = erasedWhen((payload) => (payload as { secret?: boolean }).secret === true);
    expect(erasedOnceHandled(whenSecret, { secret: false })).toBe(false);
    expect(erasedOnceHandled(whenSecret, { secret: true })).toBe(true);
  });

  it('erases when the rule cannot read the payload', () => {
    expect(erasedOnceHandled({ erase: () => { throw new Error('unreadable'); } }, {})).toBe(true);
  });
});

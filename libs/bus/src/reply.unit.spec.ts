import { DomainError } from '@slipway/contracts';
import { encode } from './codec';
import { answerTo, errorReply, fingerprintHeaders } from './reply';

/** An answer as the transport publishes it: the reply, and the fingerprint of the envelope it answers. */
const answer = (reply: unknown, fingerprint?: string) => ({ data: encode(reply), headers: fingerprint ? fingerprintHeaders(fingerprint) : undefined });
const mine = { commandId: 'idem-1', fingerprint: 'mine' };

describe('answerTo', () => {
  it('takes an answer to this command, or one that does not say which it answers (a service of an earlier version)', () => {
    expect(answerTo(mine, answer({ ok: true, value: 1 }, 'mine'))).toEqual({ ok: true, value: 1 });
    expect(answerTo(mine, answer({ ok: true, value: 1 }))).toEqual({ ok: true, value: 1 });
    expect(answerTo({ commandId: 'c-1' }, answer({ ok: true, value: 1 }, 'theirs'))).toEqual({ ok: true, value: 1 });
  });

  it('refuses an outcome answered to another command under the same id: a success or a final refusal', () => {
    expect(() => answerTo(mine, answer({ ok: true, value: 1 }, 'theirs'))).toThrow(expect.objectContaining({ code: 'invalid', field: 'commandId' }));
    expect(() => answerTo(mine, answer({ ok: false, error: new DomainError('already-exists', 'taken') }, 'theirs'))).toThrow(expect.objectContaining({ field: 'commandId' }));
  });

  it('passes on another command\'s "retry shortly" as it is: no outcome holds the id yet', () => {
    const unavailable = { ok: false, error: { code: 'unavailable', message: 'down' } };
    expect(answerTo(mine, answer(unavailable, 'theirs'))).toEqual(unavailable);
    const contended = JSON.parse(JSON.stringify({ ok: false, error: new DomainError('conflict', 'busy', undefined, false) }));
    expect(answerTo(mine, answer(contended, 'theirs'))).toEqual(contended);
  });
});

describe('errorReply', () => {
  it('keeps a refusal as it is, its finality included', () => {
    expect(errorReply(new DomainError('unavailable', 'no cluster', 'cluster', true))).toEqual({ ok: false, error: { code: 'unavailable', message: 'no cluster', field: 'cluster', final: true } });
  });

  it('cuts a message or field of any size to what any bus carries, saying how long it was', () => {
    const reply = errorReply(new DomainError('invalid', 'm'.repeat(1_000_000), 'f'.repeat(5_000)));
    expect(reply).toEqual({ ok: false, error: { code: 'invalid', message: `${'m'.repeat(16_384)}… (1000000 characters)`, field: `${'f'.repeat(1_024)}… (5000 characters)` } });
  });
});

import { DomainError, type SlipwayError } from './errors';
import { replyValue, type Reply } from './envelope';

/** What another service receives: the refusal as JSON on the wire, thrown again by replyValue. */
function received(error: DomainError): DomainError {
  const reply = JSON.parse(JSON.stringify({ ok: false, error })) as Reply;
  try {
    replyValue(reply);
  } catch (thrown) {
    return thrown as DomainError;
  }
  throw new Error('replyValue did not throw the refusal');
}

describe('a refusal across services', () => {
  it('keeps the code\'s rule without saying so: unavailable asks to retry, the others are final', () => {
    expect(JSON.parse(JSON.stringify(new DomainError('invalid', 'bad', 'spec')))).toEqual({ code: 'invalid', message: 'bad', field: 'spec' });
    expect(received(new DomainError('invalid', 'bad', 'spec'))).toMatchObject({ code: 'invalid', field: 'spec', final: true });
    expect(received(new DomainError('unavailable', 'down'))).toMatchObject({ code: 'unavailable', final: false });
  });

  it('carries a finality that differs from its code\'s rule, so the receiver refuses its own command the same way', () => {
    const contended = new DomainError('conflict', 'kept changing', undefined, false);
    expect(contended.toJSON()).toEqual<SlipwayError>({ code: 'conflict', message: 'kept changing', final: false });
    expect(received(contended)).toMatchObject({ code: 'conflict', final: false });

    const lasting = new DomainError('unavailable', 'no cluster configured', undefined, true);
    expect(lasting.toJSON()).toEqual<SlipwayError>({ code: 'unavailable', message: 'no cluster configured', final: true });
    expect(received(lasting)).toMatchObject({ code: 'unavailable', final: true });
  });

  it('ignores a finality that is not a boolean', () => {
    expect(DomainError.from({ code: 'conflict', message: 'x', final: 'no' } as unknown as SlipwayError).final).toBe(true);
  });
});

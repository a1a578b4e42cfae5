import { sendableToken } from './admin-token';

describe('the admin token from the environment', () => {
  it('is taken without the whitespace around it, as the gateway reads a header', () => {
    const token = 'Jx8q2Vd0-kR7pL3wT9zN4mB6cY1hF5sGa';
    expect(sendableToken(`${token}\n`)).toBe(token);
    expect(sendableToken(`  ${token}\t`)).toBe(token);
  });

  it('is refused when no client could send it, without showing it', () => {
    for (const token of ['two words', '', '   ', 'caf\u00e9', 'tab\tinside']) {
      expect(() => sendableToken(token)).toThrow(/^SLIPWAY_ADMIN_TOKEN must be printable ASCII without spaces .*its value is not shown$/);
    }
  });

  it('is refused when shorter than a random one must be: readers of the audit log see its hash', () => {
    expect(() => sendableToken('changeme-admin')).toThrow(/^SLIPWAY_ADMIN_TOKEN must be at least 32 characters .*its value is not shown$/);
    // long, but no random value: a few characters repeated
    for (const token of ['a'.repeat(40), 'abc123'.repeat(8)]) expect(() => sendableToken(token)).toThrow(/at least 10 of them different/);
  });
});

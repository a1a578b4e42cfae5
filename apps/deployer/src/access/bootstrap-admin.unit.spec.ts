import { sendableToken } from './bootstrap-admin';

describe('the admin token from the environment', () => {
  it('is taken without the whitespace around it, as the gateway reads a header', () => {
    expect(sendableToken('s3cret-token\n')).toBe('s3cret-token');
    expect(sendableToken('  s3cret-token\t')).toBe('s3cret-token');
  });

  it('is refused when no client could send it, without showing it', () => {
    for (const token of ['two words', '', '   ', 'caf\u00e9', 'tab\tinside']) {
      expect(() => sendableToken(token)).toThrow(/^SLIPWAY_ADMIN_TOKEN must be printable ASCII without spaces .*its value is not shown$/);
    }
  });
});

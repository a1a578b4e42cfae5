import { holdsUrlPassword, withoutUrlPasswords } from './url-credentials';

describe('URL passwords', () => {
  it.each([
    ['a plain login', 'smtp://alerts:AppPw@smtp.example.com:587', 'smtp://alerts:[redacted]@smtp.example.com:587'],
    ['an e-mail address as the user', 'smtp://alerts@example.com:AppPw@smtp.gmail.com:587', 'smtp://alerts@example.com:[redacted]@smtp.gmail.com:587'],
    ['a password with / + = (base64)', 'postgres://u:ab/cd+e=@db/x', 'postgres://u:[redacted]@db/x'],
    ['a password with ? and #', 'amqp://u:p?q#r@mq:5672', 'amqp://u:[redacted]@mq:5672'],
    ['one inside a sentence', 'connect to redis://:s3cret@cache:6379 first', 'connect to redis://:[redacted]@cache:6379 first'],
  ])('replaces %s', (_, text, expected) => {
    expect(withoutUrlPasswords(text)).toBe(expected);
    expect(holdsUrlPassword(text)).toBe(true);
  });

  it.each([
    ['a URL without a login', 'https://example.com:8443/path?q=1'],
    ['a user without a password', 'ssh://git@github.com:22'],
    ['no URL', 'user:pass@host'],
  ])('leaves %s', (_, text) => {
    expect(withoutUrlPasswords(text)).toBe(text);
    expect(holdsUrlPassword(text)).toBe(false);
  });

  it('reads a long line of URL-like runs without an @ (each run is bounded) and still finds a password after them', () => {
    const text = `${'a://b:c'.repeat(20_000)} postgres://app:${'p'.repeat(500)}@db/app`;
    const redacted = withoutUrlPasswords(text);
    expect(redacted.endsWith('postgres://app:[redacted]@db/app')).toBe(true);
    expect(redacted.startsWith('a://b:c'.repeat(20_000))).toBe(true);
  });
});

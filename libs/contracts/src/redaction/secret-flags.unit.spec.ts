import { REDACTED } from './redacted';
import { redactSecretText, secretSpans } from './redact-text';
import { redactSecrets } from './redact-value';
import { secretValuesIn } from './secret-copies';
import { secretStringsOf } from './secret-strings';
import { patternSpans, redactTextPatterns } from './text-patterns';

/** A secret passed as a command-line flag, its value the next argument (as Kubernetes `args` and `command` write it). */
describe('a flag naming a secret, its value the next argument', () => {
  it('hides the element after it in a list, and nothing after a flag that names none', () => {
    expect(redactSecrets({ args: ['--db-password', 'hunter2', '--port', '80'] })).toEqual({ args: ['--db-password', REDACTED, '--port', '80'] });
    expect(redactSecrets({ command: ['app', '-api-key', 'k123', 'serve'] })).toEqual({ command: ['app', '-api-key', REDACTED, 'serve'] });
    // whatever its shape: a number, a map where a string belongs
    expect(redactSecrets({ args: ['--pin-secret', 4821, '--client-secret', { inner: 'map-41' }] })).toEqual({ args: ['--pin-secret', REDACTED, '--client-secret', REDACTED] });
    // `--token=x` is a pair, as it always was
    expect(redactSecrets({ args: ['--token=abc123', 'next-41'] })).toEqual({ args: [`--token=${REDACTED}`, 'next-41'] });
  });

  it.each([
    ['a flag followed by another flag', ['--password-stdin', '--verbose']],
    ['a flag naming no secret', ['--port', '80', '--log-level', 'info']],
    ['a secret flag last', ['serve', '--token']],
    ['a secret word that is no flag', ['token', 'abc123', 'api-key', 'k123']],
    ['a value after a secret flag that starts with a dash', ['--token', '-abc123']],
  ])('shows %s', (_, args) => {
    expect(redactSecrets({ args })).toEqual({ args });
    for (const text of [`args: ${JSON.stringify(args)}`, `args:\n${args.map((a) => `- ${JSON.stringify(a)}\n`).join('')}`, `cmd: app ${args.join(' ')}`]) {
      expect(redactSecretText(text)).toBe(text);
      expect(patternSpans(text)).toEqual([]);
    }
  });

  it.each([
    ['a flow list', 'args: ["--db-password", "hunter2"]', 'args: ["--db-password", "[redacted]"]'],
    ['a plain flow list', 'command: [app, --api-key, k123]', 'command: [app, --api-key, "[redacted]"]'],
    ['a block list', 'args:\n- --db-password\n- hunter2\n', `args:\n- --db-password\n- ${REDACTED}\n`],
    ['a block list, a value that reads like a pair\'s as the list\'s element', 'args:\n- --token\n- =abc123\n', `args:\n- --token\n- ${REDACTED}\n`],
    ['a block list, indented and quoted', 'args:\n  - "--api-key"\n  - "k-41"\n  - --port\n  - "80"\n', `args:\n  - "--api-key"\n  - "${REDACTED}"\n  - --port\n  - "80"\n`],
    ['a command line', 'cmd: app --token abc123 -v', `cmd: app --token ${REDACTED} -v`],
    ['a command line with the pair form', 'cmd: app --token=abc123 -v', `cmd: app --token=${REDACTED} -v`],
  ])('hides the value in %s', (_, text, redacted) => {
    expect(redactSecretText(text)).toBe(redacted);
    expect(redactSecrets({ config: text })).toEqual({ config: redacted });
  });

  it('hides the value in text that does not parse: a log line, JSON in it, a list cut short', () => {
    expect(redactTextPatterns('started app --db-password hunter2 --port 80')).toBe(`started app --db-password ${REDACTED} --port 80`);
    expect(redactTextPatterns('spec {"args":["--token","ab\\"c-41"],"n":1}')).toBe(`spec {"args":["--token",${REDACTED}],"n":1}`);
    // after a comma, the value ends where the list's element does
    expect(redactTextPatterns('cut [app, --api-key, k123], then')).toBe(`cut [app, --api-key, ${REDACTED}], then`);
    expect(redactSecretText('args: ["--token", "abc" # cut\n  more: [')).not.toContain('abc');
  });

  // Every consumer agrees: readers (redaction), what is recorded (sealing's spans: structure and
  // patterns), the write checks (the values a text keeps secret), and the kube refusal filter.
  it.each([
    ['--db-password', true], ['--api-key', true], ['-token', true], ['--tls-key', true], ['--smtp-pass', true], ['--ldap-pw', true], ['--client.secret', true],
    ['--key-file', false], ['--bypass', false], ['--monkey', false], ['--passenger', false], ['--port', false],
  ])('hides the value after %s (%s) in a list, in block and flow YAML, on a command line, for readers, sealing and the write checks', (flag, secret) => {
    const value = 'value-41';
    expect(redactSecrets({ args: [flag, value] })).toEqual({ args: [flag, secret ? REDACTED : value] });
    const forms = [`args: ["${flag}", "${value}"]`, `args:\n- ${flag}\n- ${value}\nother: visible\n`, `run: app ${flag} ${value} -v`];
    for (const text of forms) {
      expect({ text, hidden: !redactSecretText(text).includes(value) }).toEqual({ text, hidden: secret });
      const sealed = [...(secretSpans(text) ?? []), ...patternSpans(text)].some(({ start, end }) => text.slice(start, end).includes(value));
      expect({ text, sealed }).toEqual({ text, sealed: secret });
      expect({ text, kept: secretValuesIn(text, false).some((v) => v.includes(value)) }).toEqual({ text, kept: secret });
    }
    expect(secretStringsOf({ args: [flag, value] }).has(value)).toBe(secret);
  });

  it('reads a secret flag inside the quoted value of a flag that names none (`--keyring \'run --token abc\'`)', () => {
    // (the value runs to the blank after it: the outer quote goes with it)
    expect(redactTextPatterns(`app --keyring 'run --token abc123' --x`)).toBe(`app --keyring 'run --token ${REDACTED} --x`);
    expect(redactTextPatterns(`app --keyring "run --db-password p4ss" -v`)).toBe(`app --keyring "run --db-password ${REDACTED} -v`);
    expect(redactTextPatterns(`app --keyring /etc/keys --port 80`)).toBe(`app --keyring /etc/keys --port 80`);
  });

  // How long these take is the bench's to say (phase (h), `npm run bench`): a gap tried again a
  // blank shorter took 10 s for 100,000 blanks before the patterns took their names whole.
  it.each([
    ['blanks after a flag, then a flag', `--token${' '.repeat(1_000_000)}-`, 0],
    ['flags in a flow list, each followed by a flag', '--token, '.repeat(200_000), 0],
    ['a block list of flags', '- --token\n'.repeat(200_000), 0],
    ['flags each followed by an open quote', '--token "'.repeat(200_000), 1],
    ['a run of dashes before a flag and its value', `${'-'.repeat(1_000_000)}token x`, 1],
    ['a flag name of a million characters', `--${'token'.repeat(200_000)}`, 0],
    ['a quoted flag, blanks, a comma, blanks, a flag', `"--token"${' '.repeat(500_000)},${' '.repeat(500_000)}-`, 0],
    ['flags naming no secret, each followed by a quote (each value read again)', "--keyring '".repeat(200_000), 0],
    ['flags naming no secret, their quoted values flags naming none', '--keyring "--keyring '.repeat(200_000), 0],
  ])('reads hostile text (%s) for what it holds', (_what, text, secrets) => {
    expect(patternSpans(text)).toHaveLength(secrets);
  });
});

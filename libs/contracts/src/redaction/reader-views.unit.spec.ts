import { REDACTED } from './redacted';
import { patchesAsReadersSee, secretsAsReadersSee, textsAsReadersSee } from './reader-views';
import { redactSecretText } from './redact-text';
import type { PatchView } from '../config/patches';

/** Secrets only the structure tells (the patterns miss each of them), in text well past the events API's parse bound. */
const STRUCTURE_ONLY = {
  'an alias for a password': 'shared: &pw alias-secret-41\nconf:\n  password: *pw\n',
  'a complex key': 'conf:\n  ? client_secret\n  : complex-secret-41\n',
  'a key spelled with an escape': 'conf:\n  "pass\\u0077ord": escaped-secret-41\n',
  'a plain scalar over two lines': 'conf:\n  password: first\n    second-line-secret-41\n',
};
const filler = 'filler:\n' + Array.from({ length: 4_000 }, (_, i) => `  key${i}: value-number-${i}`).join('\n') + '\n';
const secretIn = (text: string) => /[\w-]+-secret-41/.exec(text)![0];

describe('reader views', () => {
  it.each(Object.entries(STRUCTURE_ONLY))('hide %s in text of any size, as sealing does', (_, small) => {
    const large = small + filler;
    expect(large.length).toBeGreaterThan(64 * 1024);
    const secret = secretIn(small);
    // The events API's bound: past it the patterns alone read the text, and miss this one.
    expect(redactSecretText(large)).toContain(secret);
    const shown = secretsAsReadersSee({ config: large }) as { config: string };
    expect(shown.config).not.toContain(secret);
    expect(shown.config).toContain('key3999: value-number-3999');
    expect(textsAsReadersSee([large])[0]).toBe(shown.config);
  });

  it('show small text as redactSecretText does', () => {
    const text = 'data:\n  API_TOKEN: t0ken-41\n  LEVEL: info\n';
    expect(secretsAsReadersSee(text)).toBe(redactSecretText(text));
    expect(secretsAsReadersSee(text)).toBe(`data:\n  API_TOKEN: ${REDACTED}\n  LEVEL: info\n`);
  });

  it('show a large patch without its secrets, read as a Secret\'s when it applies to one, and the same again when remembered', () => {
    const patch = (text: string, secretValues: boolean): PatchView => ({
      version: 1, nextVersion: null, target: 'api', patch: text, metadata: '{}', description: 'd', descriptionShown: 'd', secretValues,
    });
    const aliased = STRUCTURE_ONLY['an alias for a password'] + filler;
    const data = 'data:\n  cert: secret-data-41\n' + filler;
    const [first, asSecret, asConfigMap] = patchesAsReadersSee([patch(aliased, false), patch(data, true), patch(data, false)]);
    expect(first!.patch).not.toContain('alias-secret-41');
    expect(asSecret!.patch).not.toContain('secret-data-41');
    expect(asConfigMap!.patch).toContain('secret-data-41');
    expect(first).not.toHaveProperty('descriptionShown');
    // Read again: the remembered view is the same text.
    expect(patchesAsReadersSee([patch(aliased, false)])[0]!.patch).toBe(first!.patch);
  });
});

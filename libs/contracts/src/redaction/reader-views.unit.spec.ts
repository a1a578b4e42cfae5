import { REDACTED } from './redacted';
import { patchesAsReadersSee, readerTextsShown } from './reader-views';
import { MAX_PARSED_TEXT, redactPatchText, redactSecretText, redactWholeText } from './redact-text';
import type { PatchView } from '../config/patches';

/** Secrets only the structure tells (the patterns miss each of them), in text well past the events API's parse bound. */
const STRUCTURE_ONLY = {
  'an alias for a password': 'shared: &pw alias-secret-41\nconf:\n  password: *pw\n',
  'a complex key': 'conf:\n  ? client_secret\n  : complex-secret-41\n',
  'a key spelled with an escape': 'conf:\n  "pass\\u0077ord": escaped-secret-41\n',
  'a plain scalar over two lines': 'conf:\n  password: first\n    second-line-secret-41\n',
};
const fillerLines = (indent: string) => Array.from({ length: 4_000 }, (_, i) => `${indent}key${i}: value-number-${i}`).join('\n') + '\n';
const filler = `filler:\n${fillerLines('  ')}`;
const secretIn = (text: string) => /[\w-]+-secret-41/.exec(text)![0];

describe('redactWholeText', () => {
  it.each(Object.entries(STRUCTURE_ONLY))('hides %s in text of any size, as sealing does', (_, small) => {
    const large = small + filler;
    expect(large.length).toBeGreaterThan(MAX_PARSED_TEXT);
    const secret = secretIn(small);
    // The events API's bound: past it the patterns alone read the text, and miss this one.
    expect(redactSecretText(large)).toContain(secret);
    const shown = redactWholeText(large);
    expect(shown).not.toContain(secret);
    expect(shown).toContain('key3999: value-number-3999');
  });

  it.each(Object.entries(STRUCTURE_ONLY))('hides %s in a file past the bound inside a config (a ConfigMap\'s), as in the config itself', (_, small) => {
    const file = small + filler;
    const config = `kind: ConfigMap\ndata:\n  app.yaml: |\n${file.split('\n').map((line) => (line ? `    ${line}` : line)).join('\n')}`;
    expect(redactWholeText(config)).not.toContain(secretIn(small));
    expect(redactWholeText(config)).toContain('key3999: value-number-3999');
  });

  it('shows text up to the bound as redactSecretText does', () => {
    const text = 'data:\n  API_TOKEN: t0ken-41\n  LEVEL: info\n';
    expect(redactWholeText(text)).toBe(redactSecretText(text));
    expect(redactWholeText(text)).toBe(`data:\n  API_TOKEN: ${REDACTED}\n  LEVEL: info\n`);
  });
});

describe('reader views', () => {
  it('show each long text whole: a value\'s string, and a patch\'s read as a Secret\'s when asked', () => {
    const aliased = STRUCTURE_ONLY['an alias for a password'] + filler;
    const data = `data:\n  cert: secret-data-41\n${fillerLines('  ')}`;
    const [config, asSecret, asConfigMap] = readerTextsShown([
      { text: aliased, inSecret: false, patch: false }, { text: data, inSecret: true, patch: true }, { text: data, inSecret: false, patch: true },
    ]);
    expect(config).toBe(redactWholeText(aliased));
    expect(config).not.toContain('alias-secret-41');
    expect(asSecret).not.toContain('secret-data-41');
    expect(asConfigMap).toContain('secret-data-41');
  });

  it('show a patch with its text as given and its description without what its own text hides, where the store kept no reader\'s description', () => {
    const patch = (description: string, descriptionShown?: string): PatchView => ({
      version: 1, nextVersion: null, target: 'api', patch: 'data:\n  password: pw-41-long\n', metadata: '{}', description, ...(descriptionShown === undefined ? {} : { descriptionShown }), secretValues: false,
    });
    const [kept, older] = patchesAsReadersSee([patch('sets pw-41-long', 'kept view'), patch('sets pw-41-long')], (text, inSecret) => redactPatchText(text, inSecret));
    expect(kept).toEqual({ ...patch('sets pw-41-long'), patch: `data:\n  password: ${REDACTED}\n`, description: 'kept view' });
    expect(kept).not.toHaveProperty('descriptionShown');
    expect(older!.description).toBe(`sets ${REDACTED}`);
  });
});

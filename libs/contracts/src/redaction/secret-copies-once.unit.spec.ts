// The module's own exports, which redact-text.ts calls through (an `import *` is a copy): a spy there sees its parses.
import yaml = require('yaml');
import { redactSecretText } from './redact-text';
import { redactedWithSecretValues, secretValuesIn } from './secret-copies';

const jsonPatch = JSON.stringify({ kind: 'ConfigMap', target: 'cm', patch: [{ op: 'add', path: '/data/API_TOKEN', value: 'tok-41-secret' }, { op: 'add', path: '/env/0/value', value: 'by-index-41' }] });
const texts: Array<[string, string, boolean]> = [
  ['a JSON patch', jsonPatch, false],
  ['a Secret in block YAML, read as one', 'kind: Secret\nstringData:\n  plain: PlainSecretQQ6\n# password: inTheComment41\n', true],
  ['block YAML with an anchor', 'base: &pw s3cret-anchored-41\ndb:\n  password: *pw\n', false],
  ['a ConfigMap whose file is config text', 'kind: ConfigMap\ndata:\n  app.yaml: |\n    db:\n      password: nested-41\n', false],
  ['text that does not parse', 'DB_PASSWORD=hunter2-41\n: : [\n', true],
  ['text past the parse bound', `kind: ConfigMap\ndata:\n  filler: ${'x'.repeat(70 * 1024)}\n  API_KEY: long-41\n`, false],
];

describe('redactedWithSecretValues', () => {
  it.each(texts)('of %s is what redactSecretText and secretValuesIn make of it', (_what, text, inSecret) => {
    expect(redactedWithSecretValues(text, inSecret)).toEqual({ redacted: redactSecretText(text, inSecret), values: secretValuesIn(text, inSecret) });
  });

  it('parses the text once for both', () => {
    const parse = jest.spyOn(yaml, 'parseAllDocuments');
    try {
      redactedWithSecretValues(jsonPatch, true);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('parses each file inside the text once for both, though the two readings parse files up to different sizes (review: each file was parsed twice)', () => {
    const files = Array.from({ length: 3 }, (_, i) => `  file${i}.yaml: |\n    db:\n      password: nested-${i}\n      level: info\n`).join('');
    const parse = jest.spyOn(yaml, 'parseAllDocuments');
    try {
      const { values } = redactedWithSecretValues(`kind: ConfigMap\ndata:\n${files}`, false);
      for (const i of [0, 1, 2]) expect(values.some((value) => value.includes(`password: nested-${i}`))).toBe(true);
      expect(parse).toHaveBeenCalledTimes(1 + 3);
    } finally {
      parse.mockRestore();
    }
  });
});

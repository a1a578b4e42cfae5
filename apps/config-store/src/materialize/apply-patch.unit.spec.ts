import { MAX_PARSED_TEXT } from '@slipway/contracts';
import { MaterializerError } from '@slipway/materializer';
import { applyPatch } from './apply-patch';

const filler = Array.from({ length: 4_000 }, (_, i) => `key${i}: value-${i}`).join('\n');
/** A ConfigMap's file past the parse bound of the cheap view, its password behind a key spelled with an escape: only its structure tells. */
const file = (password: string) => `auth:\n  "pass\\u0077ord": ${password}\n${filler}\n`;
const configMap = (text: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files' }, data: { 'app.yaml': text } });
const testing = (text: string) => ({ version: 1, target: 'files', format: 'JSON' as const, kind: null, patch: JSON.stringify({ patch: [{ op: 'test', path: '/data/app.yaml', value: text }] }) });

function refusal(run: () => unknown): MaterializerError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as MaterializerError;
  }
}

describe('applyPatch', () => {
  it('refuses a JSON-patch test of a long text holding a secret readers see hidden, right guess or wrong (review: it told a guess right past 64 KiB)', () => {
    expect(file('Hunter2').length).toBeGreaterThan(MAX_PARSED_TEXT);
    for (const guess of ['Hunter2', 'Wrong1']) {
      expect(refusal(() => applyPatch(configMap(file('Hunter2')), testing(file(guess)), true))).toMatchObject({ code: 'secret-value-exposed', path: '/data/app.yaml' });
    }
  });

  it('still takes a test of a long text readers see whole, and fails a wrong one as a test does', () => {
    const plain = file('Hunter2').replace('pass\\u0077ord', 'user');
    expect(applyPatch(configMap(plain), testing(plain), true)).toEqual(configMap(plain));
    expect(refusal(() => applyPatch(configMap(plain), testing(`${plain}x`), true))).toMatchObject({ code: 'json-patch-test-failed' });
  });

  it('refuses a strategic merge patch that deletes the flag before a hidden argument (a probe: submit uncovered it for readers and the log)', () => {
    const vault = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'vault' }, spec: { template: { spec: { containers: [{ name: 'm', args: ['--api-key', 'ArgLeak4242', '-v'] }] } } } };
    const merging = (patch: string) => ({ version: 1, target: 'vault', format: 'YAML' as const, kind: null, patch });
    const list = (directive: string, values: string) => merging(`spec:\n  template:\n    spec:\n      containers:\n      - name: m\n        $${directive}/args: ${values}\n`);
    expect(refusal(() => applyPatch(vault, list('deleteFromPrimitiveList', '["--api-key"]'), true))).toMatchObject({ code: 'secret-value-exposed' });
    expect(applyPatch(vault, list('deleteFromPrimitiveList', '["-v"]'), true)).toMatchObject({ spec: { template: { spec: { containers: [{ args: ['--api-key', 'ArgLeak4242'] }] } } } });
  });
});

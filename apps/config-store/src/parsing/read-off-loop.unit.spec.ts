import { DomainError } from '@slipway/contracts';
import { READ_OFF_LOOP_FROM } from '@slipway/runtime';
import { settledOffThread } from '@slipway/testing';
import { parseBaseConfigs, parsePatches } from './uploaded-texts';
import { readBaseConfigs, readPatches } from './read-off-loop';

const outcomeOf = (read: () => unknown): unknown => {
  try {
    return read();
  } catch (error) {
    return error;
  }
};

// A comment as long as the bound, which changes nothing the text says.
const padded = (text: string) => `# ${'x'.repeat(READ_OFF_LOOP_FROM)}\n${text}`;
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: "1"\n';

describe('an upload\'s text read off the event loop', () => {
  it('reads a large upload on a worker thread, to what the parsers read, and a small one at once', async () => {
    for (const text of [padded(CONFIG_MAP), CONFIG_MAP]) {
      const large = text.length >= READ_OFF_LOOP_FROM;
      expect(await settledOffThread(readBaseConfigs(text))).toEqual({ elsewhere: large, outcome: parseBaseConfigs(text) });
      const patch = `# target: app\n${text}`;
      expect(await settledOffThread(readPatches(patch))).toEqual({ elsewhere: large, outcome: parsePatches(patch) });
    }
  });

  it('refuses a large upload as the parsers do: the same DomainError, naming the field, the document and its line', async () => {
    const broken = padded(`${CONFIG_MAP}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n`);
    const { elsewhere, outcome } = await settledOffThread(readBaseConfigs(broken));
    expect(elsewhere).toBe(true);
    expect(outcome).toBeInstanceOf(DomainError);
    expect((outcome as DomainError).toJSON()).toEqual((outcomeOf(() => parseBaseConfigs(broken)) as DomainError).toJSON());
    expect(outcome).toMatchObject({ code: 'invalid', field: 'base_config', message: expect.stringContaining('already defined by document 1') });
  });
});

import { DomainError, MAX_PARSED_TEXT, REDACTED, type PatchView } from '@slipway/contracts';
import { ReaderRedaction } from './reader-redaction';

const filler = (lines: number) => Array.from({ length: lines }, (_, i) => `  key${i}: value-number-${i}`).join('\n') + '\n';
/** A password only the structure tells (an alias), in text past the parse bound: shown whole only through the worker. */
const aliased = (n: number) => `shared: &pw alias-secret-${n}\nconf:\n  password: *pw\nfiller:\n${filler(4_000 + n)}`;
const patch = (text: string, version = 1): PatchView => ({ version, nextVersion: null, target: 'api', patch: text, metadata: '{}', description: '', descriptionShown: '', secretValues: false });

describe('ReaderRedaction', () => {
  it('shows a long text parsed whole (on its worker), and shorter ones as redactSecrets does', async () => {
    const readers = new ReaderRedaction();
    try {
      expect(aliased(1).length).toBeGreaterThan(MAX_PARSED_TEXT);
      const shown = await readers.secrets({ configs: [aliased(1)], note: 'x', API_TOKEN: 't0ken' });
      expect(shown.configs[0]).not.toContain('alias-secret-1');
      expect(shown.configs[0]).toContain(`shared: &pw ${REDACTED}`);
      expect(shown).toMatchObject({ note: 'x', API_TOKEN: REDACTED });
      expect(await readers.texts(['password: p4ss', aliased(1)])).toEqual([`password: ${REDACTED}`, shown.configs[0]]);
      const [large, small] = await readers.patches([patch(aliased(2)), patch('data:\n  token: t\n', 2)]);
      expect(large!.patch).not.toContain('alias-secret-2');
      expect(small!.patch).toBe(`data:\n  token: ${REDACTED}\n`);
    } finally {
      await readers.close();
    }
  });

  it('redacts a list of short texts at once, however many (a worker taking no read refuses none of them)', async () => {
    const readers = new ReaderRedaction(0);
    try {
      const many = Array.from({ length: 2_000 }, (_, i) => patch(`# patch ${i}\ndata:\n  password: p-${i}\n  level: info\n`, i));
      const shown = await readers.patches(many);
      expect(shown.map((p) => p.patch)).toEqual(many.map((_, i) => `# patch ${i}\ndata:\n  password: ${REDACTED}\n  level: info\n`));
      await expect(readers.secrets({ configs: Array.from({ length: 200 }, (_, i) => `token: t-${i}\n`.repeat(20)) })).resolves.toBeDefined();
      await expect(readers.secrets(aliased(3))).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await readers.close();
    }
  });

  it('shows descriptions without working out the texts (a worker taking no read refuses none): kept ones as kept, older ones without the values their patch hides', async () => {
    const readers = new ReaderRedaction(0);
    try {
      const kept = { ...patch(aliased(8)), descriptionShown: `rotated ${REDACTED}` };
      const older = { ...patch(`data:\n  password: older-pw-1\n${filler(4_000)}`, 2), description: 'was older-pw-1, token=abc123', descriptionShown: undefined };
      expect(older.patch.length).toBeGreaterThan(MAX_PARSED_TEXT);
      expect(readers.descriptions([kept, older])).toEqual([`rotated ${REDACTED}`, `was ${REDACTED}, token=${REDACTED}`]);
      await expect(readers.patches([kept])).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await readers.close();
    }
  });

  it('works a long text out once for reads of it at the same time: the later ones wait for the first, not for a turn of their own (review)', async () => {
    const readers = new ReaderRedaction(1);
    try {
      const [first, second, third] = await Promise.all([readers.secrets(aliased(7)), readers.secrets({ again: aliased(7) }), readers.texts([aliased(7)])]);
      expect(first).not.toContain('alias-secret-7');
      expect(second).toEqual({ again: first });
      expect(third).toEqual([first]);
    } finally {
      await readers.close();
    }
  });

  it('refuses a long read past those it lets wait, "unavailable" (retry shortly), but not one it remembers', async () => {
    const readers = new ReaderRedaction(1);
    try {
      const remembered = await readers.secrets(aliased(4));
      const first = readers.secrets(aliased(5));
      const second = await readers.secrets(aliased(6)).catch((error: unknown) => error);
      expect(second).toBeInstanceOf(DomainError);
      expect(second).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/retry shortly/) });
      // Shown before, and short texts: no wait for the worker.
      expect(await readers.secrets(aliased(4))).toBe(remembered);
      expect(await readers.secrets('token: t')).toBe(`token: ${REDACTED}`);
      expect(await first).not.toContain('alias-secret-5');
      expect(await readers.secrets(aliased(6))).not.toContain('alias-secret-6');
    } finally {
      await readers.close();
    }
  });
});

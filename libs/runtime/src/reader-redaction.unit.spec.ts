import { DomainError, REDACTED } from '@slipway/contracts';
import { READ_OFF_LOOP_FROM } from './off-loop';
import { ReaderRedaction } from './reader-redaction';

const filler = (lines: number) => Array.from({ length: lines }, (_, i) => `  key${i}: value-number-${i}`).join('\n') + '\n';
/** A password only the structure tells (an alias), in text large enough for the worker. */
const aliased = `shared: &pw alias-secret-41\nconf:\n  password: *pw\nfiller:\n${filler(4_000)}`;

describe('ReaderRedaction', () => {
  const readers = new ReaderRedaction(1);
  afterAll(() => readers.close());

  it('redacts a large value on its worker as a small one is redacted at once', async () => {
    expect(aliased.length).toBeGreaterThan(READ_OFF_LOOP_FROM);
    const shown = await readers.secrets({ configs: [aliased], note: 'x' });
    expect(shown.configs[0]).not.toContain('alias-secret-41');
    expect(shown.configs[0]).toContain(`shared: &pw ${REDACTED}`);
    expect(shown.note).toBe('x');
    expect(await readers.secrets({ API_TOKEN: 't0ken' })).toEqual({ API_TOKEN: REDACTED });
    expect(await readers.texts(['password: p4ss', aliased])).toEqual([`password: ${REDACTED}`, shown.configs[0]]);
  });

  it('refuses a large read past those it lets wait, "unavailable" (retry shortly), and takes the next once the worker is free', async () => {
    const large = (n: number) => `shared: &pw s${n}\nconf:\n  password: *pw\nfiller:\n${filler(6_000 + n)}`;
    const first = readers.secrets(large(1));
    const second = await readers.secrets(large(2)).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(DomainError);
    expect(second).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/retry shortly/) });
    // A small read does not wait for the worker.
    expect(await readers.secrets('token: t')).toBe(`token: ${REDACTED}`);
    expect(await first).not.toContain('pw s1');
    expect(await readers.secrets(large(3))).not.toContain('pw s3');
  });
});

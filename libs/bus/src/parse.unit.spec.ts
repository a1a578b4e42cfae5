import { command } from '@slipway/contracts';
import { z } from 'zod';
import { unstorableValueAt } from '@slipway/contracts';
import { decodedQuery, envelopeRefusal, parsePayload } from './parse';

const Sample = command<z.ZodObject, never>('cmd.sample.v1', z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  items: z.array(z.object({ text: z.string() })).optional(),
}));

describe('parsePayload', () => {
  it('given a valid payload, then it returns the parsed payload', () => {
    expect(parsePayload(Sample, { name: 'a', labels: { k: 'v' } })).toEqual({ name: 'a', labels: { k: 'v' } });
  });

  it('given unknown fields of any length, then it names the first few, each cut short, so the refusal stays small', () => {
    const Strict = command<z.ZodObject, never>('cmd.strict.v1', z.object({ name: z.string() }).strict());
    const long = 'x'.repeat(3_000_000);
    const payload = Object.fromEntries([['name', 'a'], [`${long}1`, 1], [`${long}2`, 2], ...Array.from({ length: 12 }, (_, i) => [`extra${i}`, i])]);
    const refusal = (() => { try { parsePayload(Strict, payload); } catch (error) { return error as { message: string; field: string }; } throw new Error('expected a refusal'); })();
    expect(refusal.message.length).toBeLessThan(1_000);
    expect(refusal.message).toMatch(/^unknown fields "x{200}… \(3000001 characters\)", "x{200}… \(3000001 characters\)", "extra0", .* and 4 more$/);
    expect(refusal.field).toBe(`${'x'.repeat(200)}… (3000001 characters)`);
  });

  it.each([
    ['a value', { name: 'a\u0000b' }, 'name'],
    ['a value in a map', { name: 'a', labels: { team: 'x\u0000' } }, 'labels.team'],
    ['a key of a map', { name: 'a', labels: { 't\u0000': 'x' } }, 'labels.t\\u0000'],
    ['a value in a list', { name: 'a', items: [{ text: 'ok' }, { text: '\u0000' }] }, 'items.1.text'],
  ])('given a NUL character in %s, then it is refused as invalid naming the field', (_where, payload, field) => {
    expect(() => parsePayload(Sample, payload)).toThrow(expect.objectContaining({ code: 'invalid', field, message: `${field}: must not contain a NUL character (\\u0000)` }));
  });

  it.each([
    ['a value', { name: 'x \ud800' }, 'name', '\\ud800'],
    ['a value, a trailing half', { name: '\udc00y' }, 'name', '\\udc00'],
    ['a value in a map', { name: 'a', labels: { team: 'x\udbff' } }, 'labels.team', '\\udbff'],
    ['a key of a map', { name: 'a', labels: { ['t\ud800']: 'x' } }, 'labels.t\\ud800', '\\ud800'],
  ])('given an unpaired surrogate in %s, then it is refused as invalid naming the field', (_where, payload, field, shown) => {
    expect(() => parsePayload(Sample, payload)).toThrow(expect.objectContaining({ code: 'invalid', field, message: `${field}: must not contain an unpaired UTF-16 surrogate (${shown}, not a character)` }));
  });

  it('given a __proto__ key (as JSON.parse and YAML make it), then it is refused naming it, not dropped', () => {
    const payload = JSON.parse('{"name":"a","labels":{"__proto__":"c","x":"y"}}');
    expect(() => parsePayload(Sample, payload)).toThrow(expect.objectContaining({ code: 'invalid', field: 'labels.__proto__', message: 'labels.__proto__: is a key that cannot be kept' }));
  });

  it('given a whole surrogate pair (a character outside the BMP), then it is accepted', () => {
    expect(parsePayload(Sample, { name: 'rocket \ud83d\ude80' })).toEqual({ name: 'rocket 🚀' });
  });

  it('given a NUL character at any depth, then it is found without overflowing the stack', () => {
    const Loose = command<z.ZodObject, never>('cmd.loose.v1', z.object({ tree: z.unknown() }));
    let tree: unknown = 'leaf\u0000';
    for (let depth = 0; depth < 100_000; depth++) tree = [tree];
    expect(() => parsePayload(Loose, { tree })).toThrow(expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/^tree(\.0)+: must not contain a NUL character/) }));
  });

  it('given a schema violation, then the first issue is refused naming its field', () => {
    expect(() => parsePayload(Sample, { name: 1 })).toThrow(expect.objectContaining({ code: 'invalid', field: 'name' }));
  });
});

describe('unstorableValueAt', () => {
  const nested = (levels: number): unknown => {
    let value: unknown = 'leaf';
    for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
    return value;
  };

  it('given a value nested exactly maxDepth lists and maps deep, then it is accepted', () => {
    expect(unstorableValueAt(nested(5), 5)).toBeUndefined();
  });

  it('given a value nested one level deeper than maxDepth, then it is refused as too deep at the first level past it', () => {
    expect(unstorableValueAt(nested(6), 5)).toEqual({ field: '0.a.0.a.0', reason: 'is nested deeper than 5 levels', tooDeep: true });
  });

  it('given 100,000 levels and a limit, then the walk answers without overflowing the stack', () => {
    expect(unstorableValueAt(nested(100_000), 128)).toMatchObject({ tooDeep: true, reason: 'is nested deeper than 128 levels' });
  });

  it('given a NUL or a lone surrogate in a key or a value, then it says which and where, the key spelled with its escape', () => {
    expect(unstorableValueAt({ data: { a: 'x\u0000' } }, 128)).toEqual({ field: 'data.a', reason: 'must not contain a NUL character (\\u0000)', tooDeep: false });
    expect(unstorableValueAt({ data: { 'k\ud800': 'v' } })).toEqual({ field: 'data.k\\ud800', reason: 'must not contain an unpaired UTF-16 surrogate (\\ud800, not a character)', tooDeep: false });
  });
});

describe('unstorableValueAt, of what YAML tags make', () => {
  it('given a set or an ordered map (!!set, !!omap), which JSON writes as {}, then it says so and where', () => {
    const reason = 'is a YAML set (!!set) or ordered map (!!omap), which JSON cannot hold: write it as a map or a list';
    expect(unstorableValueAt({ metadata: { labels: new Set(['a', 'b']) } }, 128)).toEqual({ field: 'metadata.labels', reason, tooDeep: false });
    expect(unstorableValueAt({ data: [new Map([['a', 1]])] })).toEqual({ field: 'data.0', reason, tooDeep: false });
  });
});

describe('envelopeRefusal', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const issued = (issuedAt: string) => ({ commandId: 'c-1', correlationId: 'c-1', actor: { principal: 'ci', kind: 'token' }, issuedAt, payload: {} });

  it('takes an issuedAt in the past, or ahead of the clock by what two machines\' clocks may differ', () => {
    expect(envelopeRefusal(issued('2020-01-01T00:00:00Z'), now)).toBeUndefined();
    expect(envelopeRefusal(issued('2026-12-03T12:05:00Z'), now)).toBeUndefined();
  });

  it('refuses a repliesUntil that is no time, which would read as nobody waiting', () => {
    expect(envelopeRefusal({ ...issued('2026-12-03T12:00:00Z'), repliesUntil: 'not-a-date' }, now)).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^not a command envelope: repliesUntil: must be an ISO-8601 time/) });
    expect(envelopeRefusal({ ...issued('2026-12-03T12:00:00Z'), repliesUntil: '2026-12-03T12:00:05.000Z' }, now)).toBeUndefined();
  });

  it('refuses an issuedAt further ahead, saying by how much (its events would be dated in the future), as not final: a clock is at fault, not the request', () => {
    const refusal = envelopeRefusal(issued('2026-12-03T12:05:01Z'), now);
    expect(refusal).toMatchObject({ code: 'unavailable', field: 'issuedAt', final: false, message: 'issuedAt is 301 s ahead of this service\'s clock (more than 5 minutes): a clock is wrong; retry once it is right' });
    expect(envelopeRefusal(issued('2999-01-01T00:00:00Z'), now)?.message).toMatch(/^issuedAt is \d+ s ahead/);
  });

  it('refuses an issuedAt ahead of when JetStream took the command as its sender\'s clock\'s fault, which no retry mends; one ahead of this service\'s clock alone may be this clock\'s', () => {
    expect(envelopeRefusal(issued('2026-12-03T12:06:01Z'), now, now)).toMatchObject({ senders: true, message: 'issuedAt is 361 s ahead of when the command reached the bus (more than 5 minutes): the sender\'s clock is wrong; send it again once it is right' });
    expect(envelopeRefusal(issued('2026-12-03T12:06:01Z'), now, now + 120_000)).toMatchObject({ senders: false, message: expect.stringMatching(/ahead of this service's clock/) });
    // near enough for the bus's retries to reach (review): retried, as before
    expect(envelopeRefusal(issued('2026-12-03T12:05:30Z'), now, now)).toMatchObject({ senders: false });
    expect(envelopeRefusal(issued('2026-12-02T11:59:59Z'), now, now)).toMatchObject({ senders: true });
  });

  it('takes a command issued up to a day before JetStream took it, however long it waited there since', () => {
    const storedAt = Date.parse('2026-12-01T12:00:00Z');
    expect(envelopeRefusal(issued('2026-11-30T12:00:00Z'), now, storedAt)).toBeUndefined();
  });

  it('refuses a command issued more than a day before JetStream took it (it would date its events out of the audit\'s time filters), as not final: a clock may be at fault', () => {
    expect(envelopeRefusal(issued('2026-12-02T11:59:59Z'), now, now)).toMatchObject({
      code: 'unavailable', field: 'issuedAt', final: false,
      message: 'issuedAt is 24 hours before the command reached the bus (at most 24): a command is dated when it is sent, or a clock is wrong',
    });
    expect(envelopeRefusal(issued('0001-01-01T00:00:00Z'), now, now)?.code).toBe('unavailable');
  });
});

describe('decodedQuery', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it('reads a query\'s envelope, and refuses one not UTF-8 or with a key twice as it refuses one not JSON, naming the fault', () => {
    expect(decodedQuery(bytes('{"payload":{"commandId":"a"}}'))).toEqual({ ok: true, value: { payload: { commandId: 'a' } } });
    const refusal = (body: Uint8Array) => decodedQuery(body) as { ok: false; error: { code: string; message: string } };
    expect(refusal(bytes('{"payload":{"commandId":"a"},"payload":{"commandId":"b"}}')).error).toMatchObject({
      code: 'invalid', message: 'a query is a JSON envelope ({"payload": ...}): message body holds the key "payload" twice in one object (payload): which one is meant cannot be told',
    });
    expect(refusal(new Uint8Array([0x7b, 0xff, 0x7d])).error.message).toBe('a query is a JSON envelope ({"payload": ...}): message body is not valid UTF-8');
    expect(refusal(bytes('{not json')).error.message).toBe('a query is a JSON envelope ({"payload": ...}): message body is not valid JSON');
  });
});

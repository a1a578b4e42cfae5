import { createTestDatabase } from '@slipway/testing';
import { Client } from 'pg';
import { inlineParams, recordingClient } from './literal-sql';

/** Statements with literals must mean what the same statement with parameters means. */
describe('literal SQL', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: await createTestDatabase() });
    await db.connect();
  });
  afterAll(() => db.end());

  const awkward = ['plain', "it's", 'back\\slash', 'quote"d', 'a,b', '{braces}', ' spaced ', 'NULL', '', 'ünï€ode', 'line\nbreak'];
  const sql = `SELECT $1::text[] AS texts, $2::jsonb AS doc, $3::int[] AS numbers, $4::timestamptz AS at, $5::text AS nothing,
    $6::boolean AS yes, $7::jsonb[] AS docs, $8::uuid[] AS ids, $9::text[] AS holes, $10::int AS tenth`;
  const params = [
    awkward, JSON.stringify({ text: awkward, nested: { 'k\'"': 'v\\' } }), [1, -2, 3], '2026-11-23T10:00:00.123Z', null,
    true, [JSON.stringify({ a: "x'y" }), JSON.stringify(['"', '\\'])], ['0f8fad5b-d9cb-469f-a165-70867728950e'], ['a', null, 'b'], 10,
  ];

  it('gives the same values as the parameterised statement, for awkward strings, arrays, JSON, dates and null', async () => {
    const parameterised = (await db.query(sql, params)).rows;
    const literal = (await db.query(inlineParams(sql, params))).rows;
    expect(literal).toEqual(parameterised);
    expect(literal[0].texts).toEqual(awkward);
  });

  it('quotes a long text with quotes and backslashes (a snapshot of many manifests) to the same value', async () => {
    const long = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ [`k'${i}`]: `it's \\ a "value" \\n ${i}`, plain: 'x'.repeat(50) })));
    const text = 'SELECT $1::jsonb AS doc, $2::text AS without, $3::text AS backslashes, $4::text AS tags, $5::text AS part';
    // Long texts go in dollar quotes: ones holding the first tags tried, or ending in part of one.
    const padding = "it's \\ ".repeat(10_000);
    const values = [long, 'no quotes at all', '\\\\', `${padding}$q0$ $q1$ $$`, `${padding}$q0`];
    expect((await db.query(inlineParams(text, values))).rows).toEqual((await db.query(text, values)).rows);
  });

  it('refuses a placeholder without a value instead of sending a statement that means something else', () => {
    expect(() => inlineParams('SELECT $1, $2', ['only one'])).toThrow('$2 has no value');
  });

  it('refuses what a literal would not say as a parameter does: comments around values, Dates, bytes', () => {
    expect(() => inlineParams('SELECT 1 -- $1\n', ['x\nDROP TABLE events'])).toThrow('without comments');
    expect(() => inlineParams('SELECT $1::timestamptz', [new Date()])).toThrow('no Date values');
    expect(() => inlineParams('SELECT $1::bytea', [Buffer.from([1])])).toThrow('no binary values');
  });

  it('a recording client keeps the statements to run later, in order, and answers no rows', async () => {
    const statements: string[] = [];
    const client = recordingClient(statements);
    const answer = await client.query('SELECT $1::text AS a', ["o'k"]);
    await client.query('SELECT $1::int AS b', [2]);
    expect(answer.rows).toEqual([]);
    const results = (await db.query(statements.join(';'))) as unknown as Array<{ rows: unknown[] }>;
    expect(results.map((r) => r.rows[0])).toEqual([{ a: "o'k" }, { b: 2 }]);
  });
});

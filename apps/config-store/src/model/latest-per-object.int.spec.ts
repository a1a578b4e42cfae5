import { createTestDatabase } from '@slipway/testing';
import { Pool } from 'pg';
import { latestPerObject } from './latest-per-object';

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Actual Rows': number; 'Actual Loops': number; Plans?: PlanNode[] }

/** Rows the plan read from `table`, over every scan of it. */
function rowsReadFrom(node: PlanNode, table: string): number {
  const own = node['Relation Name'] === table ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsReadFrom(child, table), 0);
}

/** A history of 200 versions for each of three objects, as the config-store's tables keep them (never trimmed). */
describe('the latest row of each object', () => {
  let pool: Pool;
  const DISTINCT_ON = 'SELECT DISTINCT ON (object_name) object_name, seq, config FROM versions ORDER BY object_name, seq DESC';
  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase() });
    await pool.query('CREATE TABLE versions (object_name text NOT NULL, seq integer NOT NULL, config text NOT NULL, PRIMARY KEY (object_name, seq))');
    await pool.query(`INSERT INTO versions SELECT name, seq, name || ' v' || seq FROM unnest(ARRAY['web', 'db', 'a-b']) AS name, generate_series(1, 200) AS seq`);
    await pool.query('ANALYZE versions');
  });
  afterAll(() => pool?.end());

  it('is each object\'s highest version, as DISTINCT ON finds it, for every object or those named', async () => {
    const every = await pool.query(`SELECT object_name, seq, config FROM ${latestPerObject('versions', '*', 'NULL::text[]')} latest ORDER BY object_name`);
    expect(every.rows).toEqual((await pool.query(DISTINCT_ON)).rows);
    expect(every.rows.map((row) => row.config)).toEqual(['a-b v200', 'db v200', 'web v200']);
    const named = await pool.query(`SELECT object_name, seq FROM ${latestPerObject('versions', '*', '$1::text[]')} latest ORDER BY object_name`, [['web', 'web', 'absent']]);
    expect(named.rows).toEqual([{ object_name: 'web', seq: 200 }]);
  });

  it('reads a few rows per object, not every version', async () => {
    const explained = async (sql: string) => (await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0].Plan as PlanNode;
    expect(rowsReadFrom(await explained(DISTINCT_ON), 'versions')).toBe(600);
    expect(rowsReadFrom(await explained(`SELECT * FROM ${latestPerObject('versions', '*', 'NULL::text[]')} latest`), 'versions')).toBeLessThanOrEqual(3 * 3);
  });
});

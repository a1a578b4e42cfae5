import type { MaterializedView } from '@slipway/contracts';
import { createPool, migrate } from '@slipway/event-log';
import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { collect } from './collect';

const MiB = 1024 * 1024;
const view = (objectName: string, filler: number): MaterializedView => ({
  objectName, releaseVersion: '1.0.0', patchVersion: null, previousReleaseVersion: null, previousPatchVersion: null,
  state: 'IS_GOLDEN', config: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${objectName}\ndata:\n  filler: ${'x'.repeat(filler)}\n`, metadata: '', timestampMS: 0,
});

/** CONFIGS is bounded as logs and audit events are: configs past 3 MiB in all (what an import reads back) are left out, and the manifest says whose. */
describe('the CONFIGS of an export', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = createPool(await createTestDatabase().then(async (url) => { await migrate(url); return url; }));
  });
  afterAll(() => pool?.end());

  const configs = { big: view('big', 2 * MiB), large: view('large', 2 * MiB), small: view('small', 1_000) };
  const lookup = async (name: string) => configs[name as keyof typeof configs];
  const request = (data_sources: Array<'LOGS' | 'STATS' | 'CONFIGS'>) => ({ services: ['big', 'large', 'small'], data_sources, start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label: 'l' });

  it('holds the services\' configs within 3 MiB, written as they are counted, and notes the ones left out', async () => {
    const files = await collect({ sql: pool, lookup, cluster: undefined }, request(['CONFIGS']));

    expect(Object.keys(JSON.parse(files['configs.json'] as string)).sort()).toEqual(['service/big', 'service/small']);
    expect(Buffer.byteLength(files['configs.json'] as string)).toBeLessThanOrEqual(3 * MiB);
    expect((files['manifest.json'] as { collected: { configs: unknown } }).collected.configs).toEqual({
      services: 2, bytes: expect.any(Number), maxBytes: 3 * MiB, truncated: true, leftOut: ['large'],
    });
  });

  it('says nothing of configs in an export whose configs all fit, or that did not ask for them', async () => {
    const fit = await collect({ sql: pool, lookup, cluster: undefined }, { ...request(['CONFIGS']), services: ['big', 'small'] });
    expect(Object.keys(JSON.parse(fit['configs.json'] as string)).sort()).toEqual(['service/big', 'service/small']);
    expect((fit['manifest.json'] as { collected: object }).collected).not.toHaveProperty('configs');

    const files = await collect({ sql: pool, lookup, cluster: undefined }, request(['LOGS', 'STATS']));
    expect(files['configs.json']).toBeUndefined();
    expect((files['manifest.json'] as { collected: object }).collected).not.toHaveProperty('configs');
  });
});

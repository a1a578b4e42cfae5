import { startStack, type Stack } from './stack';

const ROOT = '/api/v1/control_plane';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** A YAML stream of `count` small ConfigMaps, `<prefix>-<from>` on. */
const configMaps = (prefix: string, count: number, from: number): string =>
  Array.from({ length: count }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${prefix}-${from + i}\ndata:\n  n: "${i}"\n`).join('---\n');

/**
 * A write may change more objects than a push command lists (10,000) or than any command
 * carries (50,000 keys and list items): a namespace or registry rewrite changes every object.
 * Its push names the write instead, whose committed outcome lists them (pushOfChanged), so
 * the write is answered as any other: before, it committed and was then answered as failing
 * to apply every object (the push's schema refused the list), or 400 past 50,000 (the bus
 * refused it). Without a cluster here, the push answers "no cluster" and the write is
 * answered alone.
 */
describe('Instabase write that changes more objects than a push lists', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ commandWaitMs: 60_000 });
  });
  afterAll(() => stack?.stop());

  const upload = (release: string, text: string) => stack.request(`${ROOT}/base_configs`, {
    method: 'POST', body: new URLSearchParams({ release_version: release, base_config: text }).toString(),
    headers: { authorization: '', Token: stack.adminToken, ...form },
  });

  it('answers a namespace rewrite of 10,001 objects as committed, each listed as materialized, none failed', async () => {
    // given 10,001 objects, uploaded as an upload takes them (2,000 documents at most)
    const count = 10_001;
    for (let from = 0; from < count; from += 2_000) {
      const uploaded = await upload('1.0', configMaps('cm', Math.min(2_000, count - from), from));
      expect(uploaded.status).toBe(200);
    }
    // when one write changes them all
    const response = await stack.request(`${ROOT}/patches/namespace`, {
      method: 'POST', body: JSON.stringify({ namespace: 'elsewhere' }), headers: { authorization: '', Token: stack.adminToken, 'content-type': 'application/json' },
    });
    // then it is answered as committed, and its push (here: no cluster) fails none
    const body = await response.json();
    expect({ status: response.status, error: body.error, failed: body.data?.failed_to_apply }).toEqual({ status: 200, error: null, failed: [] });
    expect(body.data.materialized).toHaveLength(count);
    const last = await (await stack.request(`${ROOT}/configs/cm-${count - 1}`, { headers: { authorization: '', Token: stack.adminToken } })).json();
    expect(last.config).toContain('namespace: elsewhere');
  });
});

import { hashToken } from '@slipway/contracts';
import { createPool, migrate } from '@slipway/event-log';
import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { deployerMigrations } from '../migrations';
import { bootstrapAdmin } from './bootstrap-admin';
import { issueToken } from './token-commands';

describe('the bootstrap admin token (SLIPWAY_ADMIN_TOKEN)', () => {
  let db: Pool;
  const first = 'first-admin-token-0123456789abcdefghijkl';
  const second = 'second-admin-token-0123456789abcdefghijk';
  const live = async () => (await db.query<{ token_hash: string; principal: string }>('SELECT token_hash, principal FROM tokens ORDER BY principal, token_hash')).rows;

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url, deployerMigrations);
    db = createPool(url, { schema: 'deployer' });
  });
  afterAll(() => db?.end());

  it('is registered once however often a service starts with it', async () => {
    await bootstrapAdmin(db, first);
    await bootstrapAdmin(db, `${first}\n`);
    expect(await live()).toEqual([{ token_hash: hashToken(first), principal: 'admin' }]);
  });

  it('replaced (after a leak), ends the one it replaces, and leaves the tokens others were issued', async () => {
    const ci = 'c'.repeat(64);
    const issued = await issueToken(db, { commandId: 'issue-ci', correlationId: 'issue-ci', actor: 'admin', issuedAt: new Date().toISOString() }, {
      principal: 'ci', tokenHash: ci, grants: [{ namespace: 'default', capabilities: ['submit'] }],
    });
    expect(issued.ok).toBe(true);
    await bootstrapAdmin(db, second);
    await bootstrapAdmin(db, second);
    expect(await live()).toEqual([{ token_hash: hashToken(second), principal: 'admin' }, { token_hash: ci, principal: 'ci' }]);
    // and the one replaced is never given again: a service started with it refuses to start
    // (an old replica, a stale Secret), and ends nothing
    await expect(bootstrapAdmin(db, first)).rejects.toThrow('SLIPWAY_ADMIN_TOKEN was revoked, and a revoked token is never issued again; give it a new value');
    expect(await live()).toEqual([{ token_hash: hashToken(second), principal: 'admin' }, { token_hash: ci, principal: 'ci' }]);
  });

  it('given two services starting at once with different values, one of them stands as the admin, never neither', async () => {
    for (let round = 0; round < 5; round++) {
      const values = ['a', 'b'].map((side) => `${side}${round}-concurrent-admin-token-0123456789abcdefghijkl`);
      const started = await Promise.allSettled(values.map((value) => bootstrapAdmin(db, value)));
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
      const admins = (await live()).filter((row) => row.principal === 'admin').map((row) => row.token_hash);
      expect(admins).toHaveLength(1);
      expect(values.map(hashToken)).toContain(admins[0]);
    }
  });
});

import { randomUUID } from 'node:crypto';
import { targetStreamId, type CommandEnvelope } from '@slipway/contracts';
import { createPool, migrate, rebuildAndCompare } from '@slipway/event-log';
import { createTestDatabase, untilBlockedBy } from '@slipway/testing';
import type { Pool } from 'pg';
import { deployerMigrations } from '../migrations';
import { DeleteTargetHandler } from './delete-target.handler';
import { targetsProjection } from './targets.projection';
import { UpsertTargetHandler } from './upsert-target.handler';

/**
 * Writes of one target that queue behind a batch under way are decided together in the
 * next one; a write with annotations is applied through the projection wrapped to store
 * its sealed values, the others through the projection itself.
 */
describe('writes of one target decided in one batch', () => {
  let db: Pool;
  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url, deployerMigrations);
    db = createPool(url, { schema: 'deployer' });
  });
  afterAll(() => db.end());

  const sent = (payload: object) => {
    const commandId = randomUUID();
    return { commandId, correlationId: commandId, actor: { principal: 'admin', kind: 'token' }, issuedAt: new Date().toISOString(), payload } as unknown as CommandEnvelope;
  };
  const inOrder = async (writes: Array<() => Promise<unknown>>) => {
    const all: Array<Promise<unknown>> = [];
    // One after another, so that they are issued (and batched) in this order.
    for (const write of writes) {
      all.push(write());
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    return all;
  };

  it('leaves no row for a target its last write deleted, as a rebuild from the log has it', async () => {
    const upsert = new UpsertTargetHandler(db);
    const remove = new DeleteTargetHandler(db);
    const target = { namespace: 'batch', name: 'ghost' };
    await upsert.handle(sent({ ...target, annotations: { first: 'write' } }));
    // given a write of the target under way, holding its turn
    const holder = await db.connect();
    await holder.query('BEGIN');
    await holder.query("SELECT pg_advisory_xact_lock(hashtext('slipway:target'), hashtext('batch/ghost'))");
    const first = remove.handle(sent(target));
    await untilBlockedBy(db, holder);
    // when a create, a delete, a create with annotations and a delete queue behind it
    const queued = await inOrder([
      () => upsert.handle(sent(target)),
      () => remove.handle(sent(target)),
      () => upsert.handle(sent({ ...target, annotations: { note: 'x' } })),
      () => remove.handle(sent(target)),
    ]);
    await holder.query('COMMIT');
    holder.release();
    await Promise.all([first, ...queued]);
    // then the log ends with the delete, and the read model has no row for it
    const { rows: [last] } = await db.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1', [targetStreamId(target)]);
    expect(last!.type).toBe('target.deleted.v1');
    expect((await db.query("SELECT 1 FROM targets WHERE namespace = 'batch' AND name = 'ghost'")).rows).toEqual([]);
    expect((await rebuildAndCompare(db, 'deployer', targetsProjection)).equal).toBe(true);
  });
});

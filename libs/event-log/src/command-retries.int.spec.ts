import { poolOnNewLog } from '@slipway/testing/new-log';
import type { Pool } from 'pg';
import { readCommandStatus, recordRetryable } from './command-outcomes';

const refusal = (commandId: string) => ({ commandId, subject: 'cmd.test.busy.v1', reply: { ok: false as const, error: { code: 'unavailable' as const, message: 'busy; retry shortly' } } });
const where = { subject: 'slipway.outage.COMMANDS.svc.7.refusal', stored: '1765000000000000000' };

describe('a command\'s last "retry shortly" refusal', () => {
  const log = poolOnNewLog();
  let pool: Pool;
  beforeAll(() => { pool = log.pool; });

  it('is read back with where its message records whether it reached a client', async () => {
    await recordRetryable(pool, { ...refusal('r1'), record: where });
    expect(await readCommandStatus(pool, 'r1')).toEqual({
      commandId: 'r1', status: 'pending',
      lastRefusal: { error: { code: 'unavailable', message: 'busy; retry shortly' }, refusedAt: expect.any(String), record: where },
    });
  });

  it('names no record once a service of the version before refused it again (it leaves that column be)', async () => {
    await recordRetryable(pool, { ...refusal('r2'), record: where });
    // the statement of the version before
    await pool.query(
      `INSERT INTO command_retries (command_id, subject, refusal, refused_at) VALUES ($1, $2, $3::jsonb, clock_timestamp())
       ON CONFLICT (command_id) DO UPDATE SET subject = excluded.subject, refusal = excluded.refusal, refused_at = excluded.refused_at`,
      ['r2', 'cmd.test.busy.v1', JSON.stringify({ code: 'unavailable', message: 'again' })],
    );
    const { lastRefusal } = await readCommandStatus(pool, 'r2');
    expect(lastRefusal).toEqual({ error: { code: 'unavailable', message: 'again' }, refusedAt: expect.any(String) });
  });

  it('names the record of the last refusal only: one recorded without a record drops the earlier one', async () => {
    await recordRetryable(pool, { ...refusal('r3'), record: where });
    await recordRetryable(pool, refusal('r3'));
    expect((await readCommandStatus(pool, 'r3')).lastRefusal).not.toHaveProperty('record');
  });
});

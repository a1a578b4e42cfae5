import { createTestDatabase } from '@slipway/testing';
import { findOutcome } from './command-outcomes';
import { createPool } from './database';
import { migrate } from './migrate';

describe('migration 005: command fingerprints', () => {
  it('marks refusals recorded before as final, whatever their code, and leaves the others as they were', async () => {
    // given outcomes recorded by the schema before it
    const url = await createTestDatabase();
    expect(await migrate(url, [], '004-projection-versions')).toContain('004-projection-versions');
    const db = createPool(url);
    try {
      await db.query(`INSERT INTO command_outcomes (command_id, subject, ok, outcome) VALUES
        ('gave-up', 'cmd.x', false, '{"code": "unavailable", "message": "down (tried 5 times; gave up)"}'),
        ('refused', 'cmd.x', false, '{"code": "invalid", "message": "bad", "field": "name"}'),
        ('done', 'cmd.x', true, '{"unavailable": true}')`);

      // when the schema is brought up to date
      expect(await migrate(url)).toEqual(['005-command-fingerprints']);

      // then the recorded `unavailable` reads back as final (not "retry shortly"), the rest unchanged, no fingerprint
      expect(await findOutcome(db, 'gave-up')).toMatchObject({ reply: { ok: false, error: { code: 'unavailable', final: true } } });
      expect((await findOutcome(db, 'refused'))?.reply).toEqual({ ok: false, error: { code: 'invalid', message: 'bad', field: 'name' } });
      expect((await findOutcome(db, 'done'))?.reply).toEqual({ ok: true, value: { unavailable: true } });
      expect((await findOutcome(db, 'done'))?.fingerprint).toBeUndefined();
    } finally {
      await db.end();
    }
  });
});

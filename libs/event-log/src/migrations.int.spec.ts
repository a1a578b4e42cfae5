import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase } from '@slipway/testing';
import { findOutcome, recordOutcomeOnce } from './command-outcomes';
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
      expect(await migrate(url)).toEqual(['005-command-fingerprints', '006-installation', '007-event-json-bytes', '008-outcome-dead-lettered', '009-retry-refusal-record', '010-outcome-as-sent', '011-events-type-in-read-order']);

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

describe('migration 010: outcomes as sent', () => {
  it('keeps the outcomes recorded before, takes an older writer\'s jsonb, and keeps new ones\' keys in their order', async () => {
    const url = await createTestDatabase();
    await migrate(url, [], '009-retry-refusal-record');
    const db = createPool(url);
    try {
      await db.query(`INSERT INTO command_outcomes (command_id, subject, ok, outcome) VALUES ('before', 'cmd.x', true, '{"zone-long": 1, "z": 2}'::jsonb)`);

      expect(await migrate(url)).toEqual(['010-outcome-as-sent', '011-events-type-in-read-order']);

      // jsonb had sorted the one before; it stays readable as it was stored
      expect(JSON.stringify((await findOutcome(db, 'before'))?.reply)).toBe('{"ok":true,"value":{"z":2,"zone-long":1}}');
      // a service of the version before still casts to jsonb: assigned to the column as text
      await db.query(`INSERT INTO command_outcomes (command_id, subject, ok, outcome) VALUES ('older-writer', 'cmd.x', true, $1::jsonb)`, ['{"b": 1, "a": 2}']);
      expect((await findOutcome(db, 'older-writer'))?.reply).toEqual({ ok: true, value: { a: 2, b: 1 } });
      await recordOutcomeOnce(db, { commandId: 'after', subject: 'cmd.x', reply: { ok: true, value: { labels: { 'zone-long': 'a', tier: 'b', z: 'c' } } } });
      expect(JSON.stringify((await findOutcome(db, 'after'))?.reply)).toBe('{"ok":true,"value":{"labels":{"zone-long":"a","tier":"b","z":"c"}}}');
    } finally {
      await db.end();
    }
  });
});

/** A service's one migration, for the check below. */
class Probe001 extends Migration {
  override name = 'probe-001-table';
  override up(): void {
    this.addSql('CREATE TABLE probe_rows (id int PRIMARY KEY)');
  }
}

describe('a database a newer version of a service migrated', () => {
  it('is refused by this version of it, naming what it does not know, and changed no further', async () => {
    // given a database up to date, then migrated by a newer version of the service (its migration 002)
    const url = await createTestDatabase();
    const own = [{ name: 'probe-001-table', class: Probe001 }];
    expect(await migrate(url, own)).toContain('probe-001-table');
    const db = createPool(url);
    try {
      await db.query(`INSERT INTO mikro_orm_migrations (name, executed_at) VALUES ('probe-002-from-a-newer-version', now())`);
      const before = (await db.query('SELECT count(*)::int AS n FROM mikro_orm_migrations')).rows[0].n;

      // when this version starts on it, then it refuses, saying which and why
      await expect(migrate(url, own)).rejects.toThrow(/migrated by a newer version of Slipway \(migrations this version does not know: probe-002-from-a-newer-version\)/);
      expect((await db.query('SELECT count(*)::int AS n FROM mikro_orm_migrations')).rows[0].n).toBe(before);
      // and another service (here: the event log's migrations alone) still starts on it
      expect(await migrate(url)).toEqual([]);
    } finally {
      await db.end();
    }
  });
});

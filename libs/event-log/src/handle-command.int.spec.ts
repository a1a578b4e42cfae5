import { poolOnNewLog } from '@slipway/testing/new-log';
import { DomainError } from '@slipway/contracts';
import { untilBlockedBy } from '@slipway/testing';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { inTransaction } from './database';
import type { Decider } from './decider';
import { findOutcome } from './command-outcomes';
import { handleCommand, StreamContended, type StreamCommand } from './handle-command';
import type { Projection } from './projection';
import { readStream } from './read-stream';

// A counter that refuses to go above a limit: enough rules to see batching decide in order.
type Added = { type: 'added'; data: { by: number } };
const counter: Decider<number, { by: number; limit: number }, Added> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) => {
    if (total + command.by > command.limit) throw new DomainError('conflict', `would pass ${command.limit}`);
    return [{ type: 'added', data: { by: command.by } }];
  },
};
const add = (streamId: string, by: number, limit = 1_000, explode = false): StreamCommand<number, { by: number; limit: number }, Added, number> => ({
  subject: 'cmd.test.add.v1', streamId, decider: counter, result: (total) => total,
  command: () => { if (explode) throw new Error('boom'); return { by, limit }; },
});
let n = 0;
const ctx = () => ({ commandId: `c${++n}`, correlationId: 'x', actor: 'test', issuedAt: '2026-11-23T00:00:00Z' });

describe('the command path (group commit)', () => {
  const log = poolOnNewLog();
  let pool: Pool;
  beforeAll(() => { pool = log.pool; });

  it('decides commands that arrive together in order, each seeing the ones before it', async () => {
    const replies = await Promise.all([1, 2, 3, 4].map((by) => handleCommand(pool, ctx(), add('together', by, 6))));
    expect(replies.map((r) => (r.ok ? r.value : r.error.code))).toEqual([1, 3, 6, 'conflict']);
    expect((await readStream(pool, 'together')).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('an unexpected error fails only its own command', async () => {
    const results = await Promise.allSettled([add('mixed', 1), add('mixed', 1, 1_000, true), add('mixed', 1)].map((spec) => handleCommand(pool, ctx(), spec)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await readStream(pool, 'mixed')).toHaveLength(2);
  });

  it('a stream appended to by another writer mid-batch is decided again on fresh state', async () => {
    // Another process holds version 1 of the stream, uncommitted, while we decide.
    const other = await pool.connect();
    await other.query('BEGIN');
    await appendToStream(other, 'raced', 0, [{ type: 'added', data: { by: 10 } }], { commandId: 'o', correlationId: 'o', actor: 'other', schemaVersion: 1, occurredAt: '' });
    const ours = Promise.all([handleCommand(pool, ctx(), add('raced', 1)), handleCommand(pool, ctx(), add('elsewhere', 1))]);
    await untilBlockedBy(pool, other);
    await other.query('COMMIT');
    other.release();
    const [raced, elsewhere] = await ours;
    expect(raced).toEqual({ ok: true, value: 11 });
    expect(elsewhere).toEqual({ ok: true, value: 1 });
  });

  it('a failed batch of one stream decides its commands again one after another, none refused for the others', async () => {
    // given a batch of forty commands on one stream whose builders take a while (as the
    // config-store's read what a patch targets), and one that fails the batch
    const slow = (explode = false): StreamCommand<number, { by: number; limit: number }, Added, number> => ({
      ...add('hot', 1, 1_000, explode),
      command: async () => {
        await new Promise((r) => setTimeout(r, 5));
        if (explode) throw new Error('boom');
        return { by: 1, limit: 1_000 };
      },
    });
    const specs = [...Array.from({ length: 20 }, () => slow()), slow(true), ...Array.from({ length: 20 }, () => slow())];
    const results = await Promise.allSettled(specs.map((spec) => handleCommand(pool, ctx(), spec)));
    // then each of the forty is decided alone, in turn: in parallel they took each other's versions until they gave up
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const totals = results.flatMap((r) => (r.status === 'fulfilled' && r.value.ok ? [r.value.value] : []));
    expect(totals.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await readStream(pool, 'hot')).toHaveLength(40);
  });

  it('a stream other writers keep changing refuses the command as contended: not its outcome, nothing recorded', async () => {
    // given another writer that appends to the stream each time the command has read it
    const other = await pool.connect();
    const meta = { commandId: 'w', correlationId: 'w', actor: 'other', schemaVersion: 1, occurredAt: '' };
    const contended: StreamCommand<number, { by: number; limit: number }, Added, number> = {
      ...add('busy', 1),
      command: async () => {
        await appendToStream(other, 'busy', (await readStream(pool, 'busy')).length, [{ type: 'added', data: { by: 1 } }], meta);
        return { by: 1, limit: 1_000 };
      },
    };
    const context = ctx();
    try {
      const refused = await handleCommand(pool, context, contended).then(() => undefined, (error: unknown) => error);
      // then it is refused as a conflict a retry may get past, which the bus retries instead of acking
      expect(refused).toBeInstanceOf(StreamContended);
      expect(refused).toMatchObject({ code: 'conflict', final: false, message: expect.stringContaining('busy kept changing') });
      expect(await findOutcome(pool, context.commandId)).toBeUndefined();
    } finally {
      other.release();
    }
  });

  it('a refusal that is not final (a dependency down) is no outcome: thrown, nothing recorded, the batch\'s others decided', async () => {
    const context = ctx();
    const waiting: StreamCommand<number, { by: number; limit: number }, Added, number> = {
      ...add('waits', 1),
      command: () => { throw new DomainError('unavailable', 'the registry does not answer'); },
    };
    const [refused, other] = await Promise.allSettled([handleCommand(pool, context, waiting), handleCommand(pool, ctx(), add('waits', 1))]);
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'unavailable' } });
    expect(other).toEqual({ status: 'fulfilled', value: { ok: true, value: 1 } });
    expect(await findOutcome(pool, context.commandId)).toBeUndefined();
  });

  it('the same command twice answers once and appends once', async () => {
    const context = ctx();
    const [a, b] = await Promise.all([handleCommand(pool, context, add('twice', 5)), handleCommand(pool, context, add('twice', 5))]);
    expect(a).toEqual(b);
    expect(await readStream(pool, 'twice')).toHaveLength(1);
    const later = await inTransaction(pool, async () => handleCommand(pool, context, add('twice', 5)));
    expect(later).toEqual(a);
  });

  it('numbers the events of one decision consecutively, and the next command follows on', async () => {
    const twice: StreamCommand<number, { by: number; limit: number }, Added, number> = {
      ...add('multi', 1),
      decider: { ...counter, decide: (command, total) => [...counter.decide(command, total), ...counter.decide(command, total + command.by)] },
    };
    expect(await handleCommand(pool, ctx(), add('multi', 1))).toEqual({ ok: true, value: 1 });
    expect(await handleCommand(pool, ctx(), twice)).toEqual({ ok: true, value: 3 });
    expect(await handleCommand(pool, ctx(), add('multi', 1))).toEqual({ ok: true, value: 4 });
    expect((await readStream(pool, 'multi')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
  });

  it('positions the many events of decisions in one batch in the order decided', async () => {
    const many: StreamCommand<number, { by: number; limit: number }, Added, number> = {
      ...add('many', 1),
      decider: { ...counter, decide: () => Array.from({ length: 25 }, () => ({ type: 'added' as const, data: { by: 1 } })) },
    };
    const replies = await Promise.all([handleCommand(pool, ctx(), many), handleCommand(pool, ctx(), add('many', 1)), handleCommand(pool, ctx(), many)]);
    expect(replies).toEqual([{ ok: true, value: 25 }, { ok: true, value: 26 }, { ok: true, value: 51 }]);
    const events = await readStream(pool, 'many');
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    const positions = events.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(51);
  });

  it('a command that waited on a lock in its builder is positioned after the batch that committed meanwhile', async () => {
    // given a lock held elsewhere, and a command whose builder waits for it (as config-store's do)
    const holder = await pool.connect();
    await holder.query('SELECT pg_advisory_lock(4242)');
    const waiting = handleCommand(pool, ctx(), {
      ...add('locked-a', 1),
      command: async (tx) => { await tx.query('SELECT pg_advisory_xact_lock(4242)'); return { by: 1, limit: 1_000 }; },
    });
    await untilBlockedBy(pool, holder);
    // when another command commits while it waits, and then the lock is released
    await handleCommand(pool, ctx(), add('locked-b', 1));
    await holder.query('SELECT pg_advisory_unlock(4242)');
    holder.release();
    await waiting;
    // then positions follow commit order: the one that committed first has the lower one
    const [a] = await readStream(pool, 'locked-a');
    const [b] = await readStream(pool, 'locked-b');
    expect(b!.position).toBeLessThan(a!.position);
  });

  it.each([false, true])('a command that reads projected tables sees what the commands before it in the batch projected (writesOnly %s)', async (writesOnly) => {
    // given an inline projection keeping a running total per stream in a table
    const table = `test_totals_${writesOnly}`;
    await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (stream_id text PRIMARY KEY, total int NOT NULL)`);
    const totals: Projection = {
      name: table, tables: [table], handles: (type) => type === 'added', writesOnly,
      apply: async (tx, events) => {
        for (const e of events) {
          await tx.query(`INSERT INTO ${table} VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET total = ${table}.total + EXCLUDED.total`,
            [e.streamId, (e.data as { by: number }).by]);
        }
      },
    };
    // and commands whose builder reads that table (on other streams, so only the table links them)
    const seen: Array<number | null> = [];
    const reading = (streamId: string): StreamCommand<number, { by: number; limit: number }, Added, number> => ({
      ...add(streamId, 1), projections: [totals], readsProjections: true,
      command: async (tx) => {
        const { rows } = await tx.query<{ total: number }>(`SELECT sum(total)::int AS total FROM ${table} WHERE stream_id LIKE 'projected-%'`);
        seen.push(rows[0]!.total);
        return { by: 1, limit: 1_000 };
      },
    });

    // when they arrive together (one batch)
    await Promise.all(['projected-a', 'projected-b', 'projected-c'].map((id) => handleCommand(pool, ctx(), reading(id))));

    // then each saw the ones before it, as if it had run alone
    expect(seen).toEqual([null, 1, 2]);
    expect((await pool.query(`SELECT sum(total)::int AS total FROM ${table} WHERE stream_id LIKE 'projected-%'`)).rows[0].total).toBe(3);
  });
});

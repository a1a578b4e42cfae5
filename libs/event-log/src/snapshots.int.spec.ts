import { poolOnNewLog } from '@slipway/testing/new-log';
import { DomainError } from '@slipway/contracts';
import { eventually, untilBlockedBy } from '@slipway/testing';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { fold, type Decider } from './decider';
import { handleCommand, type StreamCommand } from './handle-command';
import { readStream } from './read-stream';
import { createPool } from './database';
import { rememberedFold } from './remembered-folds';
import { checkSnapshots, readState } from './snapshots';

// A running total that refuses to pass a limit, keeping a snapshot every 4 events.
type Added = { type: 'added'; data: { by: number } };
const counter: Decider<{ total: number }, { by: number; limit: number }, Added> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (command, state) => {
    if (state.total + command.by > command.limit) throw new DomainError('conflict', `would pass ${command.limit}`);
    return [{ type: 'added', data: { by: command.by } }];
  },
  snapshots: { name: 'counter', version: 2, every: 4 },
};
const add = (streamId: string, by: number, limit = 1_000_000): StreamCommand<{ total: number }, { by: number; limit: number }, Added, number> => ({
  subject: 'cmd.test.add.v1', streamId, decider: counter, result: (after) => after.total, command: () => ({ by, limit }),
});
let n = 0;
const ctx = () => ({ commandId: `s${++n}`, correlationId: 'x', actor: 'test', issuedAt: '2026-12-02T00:00:00Z' });
const total = (reply: { ok: boolean; value?: unknown }) => (reply.ok ? reply.value : reply);

/**
 * Three commands on stream 'raced', then a batch of two deciding versions 4 and 5 while another
 * writer holds version 4, uncommitted: the batch loses, and each is decided again alone. The
 * totals answered, in order.
 */
async function loseRace(pool: Pool, command: () => StreamCommand<{ total: number }, { by: number; limit: number }, Added, number>): Promise<unknown[]> {
  for (let i = 0; i < 3; i++) await handleCommand(pool, ctx(), command());
  const other = await pool.connect();
  await other.query('BEGIN');
  await appendToStream(other, 'raced', 3, [{ type: 'added', data: { by: 100 } }], { commandId: `o${++n}`, correlationId: 'o', actor: 'other', schemaVersion: 1, occurredAt: '' });
  const ours = Promise.all([handleCommand(pool, ctx(), command()), handleCommand(pool, ctx(), command())]);
  await untilBlockedBy(pool, other);
  await other.query('COMMIT');
  other.release();
  return (await ours).map(total).sort();
}

describe('stream snapshots', () => {
  const log = poolOnNewLog();
  let pool: Pool;
  beforeAll(() => { pool = log.pool; });

  const snapshotOf = async (streamId: string) =>
    (await pool.query('SELECT state_version, stream_version, state FROM stream_snapshots WHERE stream_id = $1 AND decider = $2', [streamId, 'counter'])).rows[0];

  // Whatever a test did, every snapshot is its stream folded up to the snapshot's version.
  afterEach(async () => {
    const { rows } = await pool.query<{ stream_id: string; stream_version: number; state: unknown }>("SELECT stream_id, stream_version, state FROM stream_snapshots WHERE state_version = 2");
    for (const row of rows) {
      const events = (await readStream(pool, row.stream_id)).slice(0, row.stream_version) as unknown as Added[];
      expect(events).toHaveLength(row.stream_version);
      expect(row.state).toEqual(fold(counter, events));
    }
  });

  it('keeps the state every few events, in the transaction that appends them', async () => {
    const totals = [];
    for (let i = 1; i <= 10; i++) totals.push(total(await handleCommand(pool, ctx(), add('ten', i))));
    expect(totals).toEqual([1, 3, 6, 10, 15, 21, 28, 36, 45, 55]);
    expect(await snapshotOf('ten')).toEqual({ state_version: 2, stream_version: 8, state: { total: 36 } });
  });

  it('a command folds the snapshot and only the events after it', async () => {
    for (let i = 0; i < 5; i++) await handleCommand(pool, ctx(), add('doctored', 1));
    // Only a state read from the snapshot can come out at 1,000 and more.
    await pool.query("UPDATE stream_snapshots SET state = '{\"total\": 1000}' WHERE stream_id = 'doctored'");
    expect(total(await handleCommand(pool, ctx(), add('doctored', 1)))).toBe(1_002);
    expect((await readState(pool, 'doctored', counter)).state).toEqual({ total: 1_002 });
    // The auditor's check finds it, and only it.
    const check = await checkSnapshots(pool, [counter]);
    expect(check.differing).toEqual(['doctored (counter)']);
    expect(check.checked).toBeGreaterThan(1);
    await pool.query("DELETE FROM stream_snapshots WHERE stream_id = 'doctored'");
    expect(await checkSnapshots(pool, [counter])).toMatchObject({ differing: [], unused: 0 });
  });

  it('ignores a snapshot of another state version, and replaces it', async () => {
    for (let i = 0; i < 5; i++) await handleCommand(pool, ctx(), add('old-shape', 1));
    await pool.query("UPDATE stream_snapshots SET state_version = 1, state = '{\"sum\": 99}' WHERE stream_id = 'old-shape'");
    expect(total(await handleCommand(pool, ctx(), add('old-shape', 1)))).toBe(6);
    expect(await snapshotOf('old-shape')).toEqual({ state_version: 2, stream_version: 6, state: { total: 6 } });
  });

  it('commands decided together fold in order and keep the state after the last of them', async () => {
    const replies = await Promise.all([1, 2, 3, 4, 5, 6].map((by) => handleCommand(pool, ctx(), add('together', by, 12))));
    expect(replies.map((r) => (r.ok ? r.value : r.error.code))).toEqual([1, 3, 6, 10, 'conflict', 'conflict']);
    expect(await snapshotOf('together')).toEqual({ state_version: 2, stream_version: 4, state: { total: 10 } });
  });

  it('a batch that loses a race to another writer keeps no snapshot of what it decided', async () => {
    expect(await loseRace(pool, () => add('raced', 1))).toEqual([104, 105]);
    // The batch's own snapshot (version 5 at a total of 5) was rolled back with its events;
    // the command decided again alone kept the one of the log as it is.
    expect(await snapshotOf('raced')).toEqual({ state_version: 2, stream_version: 5, state: { total: 104 } });
  });

  it('a query reads the same state as a fold of the whole stream', async () => {
    for (let i = 1; i <= 9; i++) await handleCommand(pool, ctx(), add('queried', i));
    expect(await readState(pool, 'queried', counter)).toEqual({ state: { total: 45 }, version: 9 });
    expect(await readState(pool, 'never-written', counter)).toEqual({ state: { total: 0 }, version: 0 });
  });
});

describe('remembered folds', () => {
  const log = poolOnNewLog();
  let pool: Pool;
  beforeAll(() => { pool = log.pool; });

  // The counter, its latest fold kept in memory per pool.
  const remembering: typeof counter = { ...counter, snapshots: { ...counter.snapshots!, remember: true } };
  const addTo = (streamId: string, by: number, limit = 1_000_000) => ({ ...add(streamId, by, limit), decider: remembering });
  const doctor = (streamId: string, total: number) => pool.query('UPDATE stream_snapshots SET state = $2::jsonb WHERE stream_id = $1', [streamId, JSON.stringify({ total })]);
  /** Snapshots are written once a command is answered: waits for the one at `version`. */
  const snapshotWritten = (streamId: string, version: number) => eventually(async () => {
    expect((await pool.query('SELECT stream_version FROM stream_snapshots WHERE stream_id = $1', [streamId])).rows).toEqual([{ stream_version: version }]);
  });

  it('a command and a query read on from the fold the process remembers, not from the snapshot', async () => {
    for (let i = 0; i < 5; i++) await handleCommand(pool, ctx(), addTo('kept', 1));
    await snapshotWritten('kept', 4);
    // A snapshot read again would come out at 1,000 and more.
    await doctor('kept', 1000);
    expect(total(await handleCommand(pool, ctx(), addTo('kept', 1)))).toBe(6);
    expect(await readState(pool, 'kept', remembering)).toEqual({ state: { total: 6 }, version: 6 });
    // Another process (pool) remembers nothing: it reads the snapshot, as before.
    const other = createPool(log.url);
    try {
      expect((await readState(other, 'kept', remembering)).state).toEqual({ total: 1_002 });
    } finally {
      await other.end();
    }
    await pool.query("DELETE FROM stream_snapshots WHERE stream_id = 'kept'");
  });

  it('keeps snapshots as often as without it, written once the command is answered', async () => {
    for (let i = 1; i <= 10; i++) await handleCommand(pool, ctx(), addTo('ten', i));
    await snapshotWritten('ten', 8);
    expect((await pool.query("SELECT state FROM stream_snapshots WHERE stream_id = 'ten'")).rows).toEqual([{ state: { total: 36 } }]);
  });

  it('answers a command whose snapshot cannot be made, and goes on (review: the process exited)', async () => {
    const unencodable: typeof counter = { ...remembering, snapshots: { ...remembering.snapshots!, encode: () => { throw new Error('cannot encode'); } } };
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 5; i++) expect(total(await handleCommand(pool, ctx(), { ...add('unencodable', 1), decider: unencodable }))).toBe(i + 1);
      await eventually(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('snapshot of unencodable not written (Error)')));
      expect((await pool.query("SELECT 1 FROM stream_snapshots WHERE stream_id = 'unencodable'")).rows).toEqual([]);
      expect(total(await handleCommand(pool, ctx(), { ...add('unencodable', 1), decider: unencodable }))).toBe(6);
    } finally {
      warn.mockRestore();
    }
  });

  it('writes no snapshot of a batch rolled back', async () => {
    for (let i = 0; i < 3; i++) await handleCommand(pool, ctx(), addTo('rolled', 1));
    // The fourth command's snapshot would be due; its batch fails after deciding (a projection throws).
    const failing = { name: 'failing', tables: [], handles: () => true, apply: async () => { throw new Error('projection down'); } };
    await expect(handleCommand(pool, ctx(), { ...addTo('rolled', 1), projections: [failing] })).rejects.toThrow('projection down');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await pool.query("SELECT 1 FROM stream_snapshots WHERE stream_id = 'rolled'")).rows).toEqual([]);
    expect(await readState(pool, 'rolled', remembering)).toEqual({ state: { total: 3 }, version: 3 });
  });

  it('reads a snapshot far ahead of its fold (another process wrote many events since)', async () => {
    await handleCommand(pool, ctx(), addTo('ahead', 1));
    const other = createPool(log.url);
    try {
      for (let i = 0; i < 8; i++) await handleCommand(other, ctx(), addTo('ahead', 1));
      await snapshotWritten('ahead', 8);
    } finally {
      await other.end();
    }
    // Its snapshot at version 8, 7 events past the fold at 1 (every 4): read, as the doctoring shows.
    await doctor('ahead', 100);
    expect(await readState(pool, 'ahead', remembering)).toEqual({ state: { total: 101 }, version: 9 });
    await pool.query("DELETE FROM stream_snapshots WHERE stream_id = 'ahead'");
  });

  it('folds a stream made again from the log: the remembered fold\'s last event is gone', async () => {
    for (let i = 0; i < 3; i++) await handleCommand(pool, ctx(), addTo('made-again', 5));
    expect((await readState(pool, 'made-again', remembering)).state).toEqual({ total: 15 });
    await pool.query("DELETE FROM events WHERE stream_id = 'made-again'");
    const meta = { commandId: 'again', correlationId: 'again', actor: 'test', schemaVersion: 1, occurredAt: '' };
    const client = await pool.connect();
    await appendToStream(client, 'made-again', 0, [1, 2, 3].map((by) => ({ type: 'added', data: { by } })), meta).finally(() => client.release());
    expect(await readState(pool, 'made-again', remembering)).toEqual({ state: { total: 6 }, version: 3 });
    // The fold kept is the new stream's, at the same version as the gone one (review: the stale one was kept, and set aside on every read).
    const { rows } = await pool.query<{ event_id: string }>("SELECT event_id FROM events WHERE stream_id = 'made-again' AND stream_version = 3");
    expect(rememberedFold(pool, 'made-again', remembering.snapshots)).toMatchObject({ version: 3, eventId: rows[0]!.event_id });
  });

  it('remembers nothing of a batch rolled back after losing a race', async () => {
    expect(await loseRace(pool, () => addTo('raced', 1))).toEqual([104, 105]);
    expect(await readState(pool, 'raced', remembering)).toEqual({ state: { total: 105 }, version: 6 });
  });

  it('refuses an evolve that changes the remembered state in place, where it does so', async () => {
    const inPlace: typeof counter = { ...remembering, evolve: (state, event) => Object.assign(state, { total: state.total + event.data.by }) };
    const addInPlace = (by: number) => ({ ...add('in-place', by), decider: inPlace });
    expect(total(await handleCommand(pool, ctx(), addInPlace(1)))).toBe(1);
    // The fold of version 1 is remembered, frozen: the next evolve throws rather than changing it.
    await expect(handleCommand(pool, ctx(), addInPlace(1))).rejects.toThrow(/read only|not extensible|Cannot assign/);
  });
});

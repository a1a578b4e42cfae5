import { isDeepStrictEqual } from 'node:util';
import type { Pool, PoolClient } from 'pg';
import type { Sql } from './database';
import type { AnyDecider, Decider, SnapshotPolicy } from './decider';
import { literal } from './literal-sql';
import { rememberedFold, rememberFold, type RememberedFold } from './remembered-folds';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { NewEvent, RecordedEvent } from './types';

/*
 * Snapshots: a stream's folded state at one version, kept per decider so a command reads
 * only the events after it. A snapshot is a cache of the log, never a source: it is
 * written in the transaction that appends the events it folds, or after it commits for a
 * decider that remembers its folds (so it is never ahead of the log), read in the same statement as the events after it (so the two agree even
 * when another writer replaces it meanwhile), and ignored when its decider's state
 * version differs. Replays and projections never read it.
 */

const DEFAULT_EVERY = 32;

/** Where a stream's fold starts: a snapshot, a fold this process remembers (or nothing), and the events after it. */
export interface StreamBase {
  snapshot?: { version: number; state: unknown };
  /** The version of the stream's snapshot for its decider, read or not (a new one is due `every` events after it). */
  snapshotVersion?: number;
  remembered?: { version: number; state: unknown };
  /** A remembered fold was given to the read and not used: its last event is gone (the stream made again), or a snapshot far ahead was read instead. */
  rememberedSetAside?: boolean;
  /** The id of the stream's event at the start's version (its last event when there are none after). */
  eventId?: string;
  events: RecordedEvent[];
}

/** A stream to read, with the snapshot policy of the decider that will fold it, if any, and the fold this process remembers of it. */
export interface StreamToRead {
  streamId: string;
  snapshots?: SnapshotPolicy<unknown>;
  remembered?: RememberedFold;
}

export interface BaseRow extends EventRow {
  base_stream: string;
  base_version: number | null;
  base_state: unknown;
  snapshot_version: number | null;
  /** The remembered fold's version, when its last event is still in the log and no snapshot far ahead of it is read instead. */
  known_version: number | null;
  base_event_id: string | null;
}

/*
 * One statement (one read snapshot, even under READ COMMITTED): each stream's snapshot
 * that matches its decider and state version, and the events after it, in version
 * order; a stream with neither gives one row of nulls. `OFFSET 0` keeps each lateral
 * subquery from being flattened into a join the planner may run as a hash join over a whole
 * table (seen: 10 ms against 0.6 ms on 40,000 events; and, with the remembered fold's event
 * joined plainly, the generic plan kept from a connection's first batch on an empty log
 * hashed the events table every batch: Postgres spent twice the CPU a command, p99 at 1,000
 * commands/s went from ~25 to 70-150 ms); as written, each stream is a few lookups of the
 * tables' primary keys and one range scan of the (stream_id, stream_version) index.
 * A remembered fold (its version and last event's id; 0 and '' for none) whose event
 * is found starts the fold instead of the snapshot, unless the snapshot is `every` events
 * or more ahead of it (another process wrote many since): folding a few events costs less
 * than decoding a state of MBs.
 */
const READ_BASES = `SELECT w.stream_id AS base_stream, CASE WHEN u.snapshot THEN s.stream_version END AS base_version,
    CASE WHEN u.snapshot AND (e.stream_version IS NULL OR e.stream_version = s.stream_version + 1) THEN s.state END AS base_state,
    s.stream_version AS snapshot_version, CASE WHEN NOT u.snapshot THEN k.stream_version END AS known_version,
    CASE WHEN u.snapshot THEN b.event_id ELSE k.event_id END::text AS base_event_id, e.*
  FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::int[]) AS w(stream_id, decider, state_version, known_version, known_event, every)
  LEFT JOIN LATERAL (
    SELECT stream_version, event_id FROM events
    WHERE events.stream_id = w.stream_id AND events.stream_version = w.known_version AND events.event_id::text = w.known_event OFFSET 0
  ) k ON true
  LEFT JOIN LATERAL (
    SELECT stream_version, state FROM stream_snapshots
    WHERE stream_snapshots.stream_id = w.stream_id AND stream_snapshots.decider = w.decider AND stream_snapshots.state_version = w.state_version OFFSET 0
  ) s ON true
  CROSS JOIN LATERAL (SELECT s.stream_version IS NOT NULL AND (k.stream_version IS NULL OR s.stream_version >= k.stream_version + w.every) AS snapshot) u
  LEFT JOIN LATERAL (
    SELECT event_id FROM events WHERE u.snapshot AND events.stream_id = w.stream_id AND events.stream_version = s.stream_version OFFSET 0
  ) b ON true
  LEFT JOIN LATERAL (
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE events.stream_id = w.stream_id AND events.stream_version > CASE WHEN u.snapshot THEN s.stream_version ELSE coalesce(k.stream_version, 0) END
    ORDER BY events.stream_version OFFSET 0
  ) e ON true
  ORDER BY w.stream_id, e.stream_version`;

const PREPARED = 'slipway_read_bases_v4';
const prepared = new WeakSet<PoolClient>();

function readBasesParams(streams: StreamToRead[]): [string[], string[], number[], number[], string[], number[]] {
  return [
    streams.map((s) => s.streamId), streams.map((s) => s.snapshots?.name ?? ''), streams.map((s) => s.snapshots?.version ?? 0),
    streams.map((s) => s.remembered?.version ?? 0), streams.map((s) => s.remembered?.eventId ?? ''), streams.map((s) => everyOf(s.snapshots)),
  ];
}

const everyOf = (policy: SnapshotPolicy<unknown> | undefined): number => policy?.every ?? DEFAULT_EVERY;

/**
 * Prepares the read of stream bases on this connection, once: planned per batch, it cost
 * Postgres more to plan than to run (0.22 against 0.18 ms for ten streams; the plain read
 * of events it replaced, 0.04 and 0.10).
 */
export async function prepareReadBases(tx: PoolClient): Promise<void> {
  if (prepared.has(tx)) return;
  await tx.query(`PREPARE ${PREPARED}(text[], text[], int[], int[], text[], int[]) AS ${READ_BASES}`).catch((error: unknown) => {
    if ((error as { code?: string }).code !== '42P05') throw error; // already prepared on this connection
  });
  prepared.add(tx);
}

/**
 * The prepared read (prepareReadBases), to send with other statements in a transaction:
 * three statements, the rows in the second one's result. Its generic plan is forced for
 * that one statement: left to choose, Postgres re-planned it for every batch of one or
 * two streams (a custom plan looks cheaper when it knows the array is short), which cost
 * 0.26 ms of planning against 0.05 of running it.
 */
export function readBasesStatements(streams: StreamToRead[]): string {
  return `SET LOCAL plan_cache_mode = force_generic_plan;
    ${executeReadBases(streams)};
    SET LOCAL plan_cache_mode = DEFAULT`;
}

const executeReadBases = (streams: StreamToRead[]): string => `EXECUTE ${PREPARED}(${readBasesParams(streams).map(literal).join(', ')})`;

/** The plan the prepared read runs as readBasesStatements sends it (its generic plan), as JSON: for a test of how it reads the log. */
export async function readBasesPlan(tx: PoolClient, streams: StreamToRead[]): Promise<unknown> {
  const results = await tx.query(`SET plan_cache_mode = force_generic_plan; EXPLAIN (FORMAT JSON) ${executeReadBases(streams)}; RESET plan_cache_mode`) as unknown as Array<{ rows: Array<{ 'QUERY PLAN': unknown }> }>;
  return results[1]!.rows[0]!['QUERY PLAN'];
}

export function toBases(rows: BaseRow[], streams: StreamToRead[]): Map<string, StreamBase> {
  const remembered = new Map(streams.map((s) => [s.streamId, s.remembered]));
  const bases = new Map<string, StreamBase>();
  for (const row of rows) {
    let base = bases.get(row.base_stream);
    if (!base) {
      base = { events: [] };
      if (row.base_version !== null) base.snapshot = { version: row.base_version, state: row.base_state };
      if (row.snapshot_version !== null) base.snapshotVersion = row.snapshot_version;
      const known = remembered.get(row.base_stream);
      if (row.known_version !== null && known?.version === row.known_version) base.remembered = known;
      else if (known) base.rememberedSetAside = true;
      if (row.base_event_id !== null) base.eventId = row.base_event_id;
      bases.set(row.base_stream, base);
    }
    if (row.stream_id !== null) base.events.push(toRecordedEvent(row));
  }
  return bases;
}

/** A stream's state and version, folded from its base. */
export interface Folded<State> { state: State; version: number }

export function foldBase<State, Event extends NewEvent>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve' | 'snapshots'>, base: StreamBase,
): Folded<State> {
  const policy = decider.snapshots;
  const start = base.snapshot && policy
    ? { state: decodeState(policy, base.snapshot.state), version: base.snapshot.version }
    : base.remembered as Folded<State> | undefined ?? { state: decider.initialState(), version: 0 };
  const events = base.events as unknown as Event[];
  return { state: events.reduce((state, event) => decider.evolve(state, event), start.state), version: start.version + events.length };
}

/** The state as kept: JSON. */
export function encodeState<State>(policy: SnapshotPolicy<State>, state: State): unknown {
  return policy.encode ? policy.encode(state) : state;
}

export function decodeState<State>(policy: SnapshotPolicy<State>, json: unknown): State {
  return policy.decode ? policy.decode(json) : json as State;
}

/** What a decider reads back from a snapshot of `state` (for tests of its encode and decode). */
export function throughSnapshot<State>(policy: SnapshotPolicy<State>, state: State): State {
  return decodeState(policy, JSON.parse(JSON.stringify(encodeState(policy, state))));
}

/** Whether a stream that was at `from` (its snapshot's version, or 0) and is now at `to` should keep a new snapshot. */
export function snapshotDue(policy: SnapshotPolicy<unknown>, from: number, to: number): boolean {
  return to - from >= (policy.every ?? DEFAULT_EVERY);
}

/** Keeps `state` as the stream's snapshot at `version`, unless one as new of the same state version is kept. */
export function writeSnapshotStatement<State>(policy: SnapshotPolicy<State>, streamId: string, folded: Folded<State>): string {
  const json = JSON.stringify(encodeState(policy, folded.state));
  return `INSERT INTO stream_snapshots (stream_id, decider, state_version, stream_version, state)
    VALUES (${literal(streamId)}, ${literal(policy.name)}, ${policy.version}, ${folded.version}, ${literal(json)}::jsonb)
    ON CONFLICT (stream_id, decider) DO UPDATE SET state_version = EXCLUDED.state_version, stream_version = EXCLUDED.stream_version, state = EXCLUDED.state
    WHERE stream_snapshots.state_version <> EXCLUDED.state_version OR stream_snapshots.stream_version < EXCLUDED.stream_version`;
}

/** A stream's current state as `decider` folds it (for queries), read from its snapshot on. */
export async function readState<State, Event extends NewEvent>(
  pool: Pool, streamId: string, decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve' | 'snapshots'>,
): Promise<Folded<State>> {
  const policy = decider.snapshots as SnapshotPolicy<unknown> | undefined;
  const stream = { streamId, snapshots: policy, remembered: rememberedFold(pool, streamId, policy) };
  const { rows } = await pool.query<BaseRow>(READ_BASES, readBasesParams([stream]));
  const base = toBases(rows, [stream]).get(streamId)!;
  const folded = foldBase(decider, base);
  rememberFold(pool, streamId, policy, folded, lastEventIdOf(base), !base.rememberedSetAside);
  return folded;
}

/** The id of the last event a fold of `base` takes in, if all are in the log (none decided in this transaction). */
export function lastEventIdOf(base: StreamBase): string | undefined {
  const last = base.events.at(-1);
  if (!last) return base.eventId;
  return base.events.every((event) => event.eventId !== '') ? last.eventId : undefined;
}

/** What checkSnapshots found: snapshots equal to a fold of their stream, and the others. */
export interface SnapshotCheck {
  checked: number;
  /** `stream_id (decider)` of each snapshot that is not its stream folded up to its version. */
  differing: string[];
  /** Snapshots of a state version or decider no command reads (replaced as commands come). */
  unused: number;
}

/**
 * Folds each snapshot's stream from its first event up to the snapshot's version and
 * compares: an auditor's check that the cache agrees with the log (a snapshot kept by a
 * decider whose evolve changed without a new state version would not).
 */
export async function checkSnapshots(
  sql: Sql, deciders: AnyDecider[],
): Promise<SnapshotCheck> {
  const byName = new Map(deciders.filter((d) => d.snapshots).map((d) => [d.snapshots!.name, d]));
  const { rows } = await sql.query<{ stream_id: string; decider: string; state_version: number; stream_version: number; state: unknown }>(
    'SELECT stream_id, decider, state_version, stream_version, state FROM stream_snapshots ORDER BY stream_id, decider',
  );
  const result: SnapshotCheck = { checked: 0, differing: [], unused: 0 };
  for (const row of rows) {
    const decider = byName.get(row.decider);
    if (!decider || decider.snapshots!.version !== row.state_version) { result.unused++; continue; }
    const { rows: events } = await sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version <= $2 ORDER BY stream_version`, [row.stream_id, row.stream_version],
    );
    const folded = foldBase(decider, { events: events.map(toRecordedEvent) });
    const expected = JSON.parse(JSON.stringify(encodeState(decider.snapshots!, folded.state))) as unknown;
    result.checked++;
    if (events.length !== row.stream_version || !isDeepStrictEqual(expected, row.state)) result.differing.push(`${row.stream_id} (${row.decider})`);
  }
  return result;
}

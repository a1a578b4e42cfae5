import type { Sql } from './database';
import type { Decider, SnapshotPolicy } from './decider';
import { literal } from './literal-sql';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { NewEvent, RecordedEvent } from './types';

/*
 * Snapshots: a stream's folded state at one version, kept per decider so a command reads
 * only the events after it. A snapshot is a cache of the log, never a source: it is
 * written in the transaction that appends the events it folds (so it is never ahead of
 * the log), read in the same statement as the events after it (so the two agree even
 * when another writer replaces it meanwhile), and ignored when its decider's state
 * version differs. Replays and projections never read it.
 */

const DEFAULT_EVERY = 32;

/** Where a stream's fold starts: a snapshot (or nothing) and the events after it. */
export interface StreamBase {
  snapshot?: { version: number; state: unknown };
  events: RecordedEvent[];
}

/** A stream to read, with the snapshot policy of the decider that will fold it, if any. */
export interface StreamToRead {
  streamId: string;
  snapshots?: SnapshotPolicy<unknown>;
}

export interface BaseRow extends EventRow {
  base_stream: string;
  base_version: number | null;
  base_state: unknown;
}

/**
 * One statement (one read snapshot, even under READ COMMITTED): each stream's snapshot
 * that matches its decider and version, and the events after it, in version order. A
 * stream with neither gives one row of nulls.
 */
export function readBasesStatement(streams: StreamToRead[]): string {
  const ids = streams.map((s) => s.streamId);
  const names = streams.map((s) => s.snapshots?.name ?? '');
  const versions = streams.map((s) => s.snapshots?.version ?? 0);
  return `WITH wanted AS (
      SELECT * FROM unnest(${literal(ids)}::text[], ${literal(names)}::text[], ${literal(versions)}::int[]) AS w(stream_id, decider, state_version)
    ), base AS (
      SELECT w.stream_id, s.stream_version, s.state FROM wanted w
      LEFT JOIN stream_snapshots s ON s.stream_id = w.stream_id AND s.decider = w.decider AND s.state_version = w.state_version
    )
    SELECT b.stream_id AS base_stream, b.stream_version AS base_version,
      CASE WHEN e.stream_version IS NULL OR e.stream_version = b.stream_version + 1 THEN b.state END AS base_state, e.*
    FROM base b LEFT JOIN LATERAL (
      SELECT ${EVENT_COLUMNS} FROM events WHERE events.stream_id = b.stream_id AND events.stream_version > coalesce(b.stream_version, 0)
    ) e ON true
    ORDER BY b.stream_id, e.stream_version`;
}

export function toBases(rows: BaseRow[]): Map<string, StreamBase> {
  const bases = new Map<string, StreamBase>();
  for (const row of rows) {
    let base = bases.get(row.base_stream);
    if (!base) {
      base = { events: [] };
      if (row.base_version !== null) base.snapshot = { version: row.base_version, state: row.base_state };
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
    : { state: decider.initialState(), version: 0 };
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
  sql: Sql, streamId: string, decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve' | 'snapshots'>,
): Promise<Folded<State>> {
  const { rows } = await sql.query<BaseRow>(readBasesStatement([{ streamId, snapshots: decider.snapshots as SnapshotPolicy<unknown> | undefined }]));
  return foldBase(decider, toBases(rows).get(streamId)!);
}

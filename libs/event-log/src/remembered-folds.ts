import type { Pool } from 'pg';
import type { SnapshotPolicy } from './decider';
import type { Folded } from './snapshots';

/**
 * The latest fold of a stream this process read, for deciders whose policy says `remember`:
 * the next read asks for the events after it, not the snapshot. A namespace's cluster state
 * holds every applied manifest (28 MiB beside 200 ConfigMaps of 140 KiB): decoding its
 * snapshot twice took 380 of a push's 400 ms.
 *
 * Only what was read from the log is remembered (never a fold with this process's own
 * events not yet committed), with the id of its last event (a random UUID, where a position
 * could come again after a restore to a point in time): a read finds that event again or
 * takes the stream as new to it (a database made again under the same pool), so a remembered
 * fold is a cache of the log as a snapshot is, never a source.
 */
export interface RememberedFold { version: number; eventId: string; state: unknown }

/** Streams remembered per pool; the least recently read is forgotten first. */
const MAX_REMEMBERED = 64;
const folds = new WeakMap<Pool, Map<string, RememberedFold>>();
/** States frozen whole: a fold shares the parts an event did not change, which need no walk again. */
const frozenWhole = new WeakSet<object>();

const keyOf = (streamId: string, policy: SnapshotPolicy<unknown>) => `${policy.name}\u0000${policy.version}\u0000${streamId}`;

/** The pool's map of `byPool`, made on first use. */
function mapOf<T>(byPool: WeakMap<Pool, Map<string, T>>, pool: Pool): Map<string, T> {
  return byPool.get(pool) ?? byPool.set(pool, new Map()).get(pool)!;
}

/** Sets `key` as the most recent (a Map keeps the order of insertion), forgetting the least recent past `max`. */
function keepRecent<T>(map: Map<string, T>, key: string, value: T, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

export function rememberedFold(pool: Pool, streamId: string, policy: SnapshotPolicy<unknown> | undefined): RememberedFold | undefined {
  if (!policy?.remember) return undefined;
  const remembered = mapOf(folds, pool);
  const key = keyOf(streamId, policy);
  const known = remembered.get(key);
  if (known) keepRecent(remembered, key, known, MAX_REMEMBERED);
  return known;
}

/**
 * Keeps `folded` (its last event `eventId`: none when it took in events not committed yet) as
 * the stream's latest known fold, unless the one kept is as new and the read found it in the
 * log (`confirmed`; a read that did not, the stream made again, replaces it). The state is
 * frozen, deeply: it is handed to every later command and read, so a change made in place (an
 * evolve that does not copy) would corrupt them all; frozen, it throws where it is made.
 */
export function rememberFold(
  pool: Pool, streamId: string, policy: SnapshotPolicy<unknown> | undefined, folded: Folded<unknown>, eventId: string | undefined, confirmed: boolean,
): void {
  if (!policy?.remember || folded.version === 0 || !eventId) return;
  const remembered = mapOf(folds, pool);
  const key = keyOf(streamId, policy);
  const known = remembered.get(key);
  if (known && confirmed && known.version >= folded.version) return;
  keepRecent(remembered, key, { version: folded.version, eventId, state: frozenDeeply(folded.state) }, MAX_REMEMBERED);
}

/** Streams whose last snapshot taken is known, per pool; past it, the least recent are forgotten (their next is due by the one stored). */
const MAX_TAKEN = 1024;
const taken = new WeakMap<Pool, Map<string, number>>();

/**
 * The version of the stream's last snapshot this process took after a commit (0: none), for a
 * decider that remembers its folds, whose snapshots are written after the commit
 * (decide-batch.ts): a new one is due `every` events after it, not after the one stored,
 * which the commands meanwhile do not see yet.
 */
export function snapshotTaken(pool: Pool, streamId: string, policy: SnapshotPolicy<unknown> | undefined): number {
  return policy?.remember ? taken.get(pool)?.get(keyOf(streamId, policy)) ?? 0 : 0;
}

export function noteSnapshotTaken(pool: Pool, streamId: string, policy: SnapshotPolicy<unknown>, version: number): void {
  keepRecent(mapOf(taken, pool), keyOf(streamId, policy), version, MAX_TAKEN);
}

/** Freezes what is not frozen whole yet. */
function frozenDeeply<T>(value: T): T {
  if (value === null || typeof value !== 'object' || frozenWhole.has(value)) return value;
  Object.freeze(value);
  for (const item of Object.values(value)) frozenDeeply(item);
  frozenWhole.add(value);
  return value;
}

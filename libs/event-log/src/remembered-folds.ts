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

/** Streams remembered per pool (a Map keeps the order of insertion: each read moves its stream last); the least recently read is forgotten first. */
const MAX_REMEMBERED = 64;
const byPool = new WeakMap<Pool, Map<string, RememberedFold>>();
/** States frozen whole: a fold shares the parts an event did not change, which need no walk again. */
const frozenWhole = new WeakSet<object>();

const keyOf = (streamId: string, policy: SnapshotPolicy<unknown>) => `${policy.name}\u0000${policy.version}\u0000${streamId}`;

export function rememberedFold(pool: Pool, streamId: string, policy: SnapshotPolicy<unknown> | undefined): RememberedFold | undefined {
  const folds = policy?.remember ? byPool.get(pool) : undefined;
  const key = policy && keyOf(streamId, policy);
  const known = key ? folds?.get(key) : undefined;
  if (known) {
    folds!.delete(key!);
    folds!.set(key!, known);
  }
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
  let folds = byPool.get(pool);
  if (!folds) byPool.set(pool, (folds = new Map()));
  const key = keyOf(streamId, policy);
  const known = folds.get(key);
  if (known && confirmed && known.version >= folded.version) return;
  folds.delete(key);
  folds.set(key, { version: folded.version, eventId, state: frozenDeeply(folded.state) });
  if (folds.size > MAX_REMEMBERED) folds.delete(folds.keys().next().value!);
}

/** Freezes what is not frozen whole yet. */
function frozenDeeply<T>(value: T): T {
  if (value === null || typeof value !== 'object' || frozenWhole.has(value)) return value;
  Object.freeze(value);
  for (const item of Object.values(value)) frozenDeeply(item);
  frozenWhole.add(value);
  return value;
}

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
 * events not yet committed), with the position of its last event: a read finds that event
 * again or takes the stream as new to it (a database made again under the same pool), so a
 * remembered fold is a cache of the log as a snapshot is, never a source.
 */
export interface RememberedFold { version: number; position: number; state: unknown }

/** Streams remembered per pool; the least recently read is forgotten first. */
const MAX_REMEMBERED = 64;
const byPool = new WeakMap<Pool, Map<string, RememberedFold>>();

const keyOf = (streamId: string, policy: SnapshotPolicy<unknown>) => `${policy.name}\u0000${policy.version}\u0000${streamId}`;

export function rememberedFold(pool: Pool, streamId: string, policy: SnapshotPolicy<unknown> | undefined): RememberedFold | undefined {
  if (!policy?.remember) return undefined;
  return byPool.get(pool)?.get(keyOf(streamId, policy));
}

/**
 * Keeps `folded` (its last event at `position`; unknown when it took in events not committed yet) as the stream's latest known fold. The state
 * is frozen, deeply: it is handed to every later command and read, so a change made in place
 * (an evolve that does not copy) would corrupt them all; frozen, it throws where it is made.
 */
export function rememberFold(pool: Pool, streamId: string, policy: SnapshotPolicy<unknown> | undefined, folded: Folded<unknown>, position: number | undefined): void {
  if (!policy?.remember || folded.version === 0 || position === undefined) return;
  let folds = byPool.get(pool);
  if (!folds) byPool.set(pool, (folds = new Map()));
  const key = keyOf(streamId, policy);
  const known = folds.get(key);
  if (known && known.version >= folded.version) return;
  folds.delete(key);
  folds.set(key, { version: folded.version, position, state: frozenDeeply(folded.state) });
  if (folds.size > MAX_REMEMBERED) folds.delete(folds.keys().next().value!);
}

/** Freezes what is not frozen yet: a fold shares the parts an event did not change, frozen before. */
function frozenDeeply<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const item of Object.values(value)) frozenDeeply(item);
  return value;
}

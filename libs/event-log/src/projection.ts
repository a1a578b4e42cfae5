import type { PoolClient } from 'pg';
import type { RecordedEvent } from './types';

/**
 * A read model built from the log. Its SQL names tables without a schema: the live
 * model resolves them through the service's search_path, a rebuild through a shadow
 * schema, so the same code serves both and the two can be compared row for row.
 *
 * A rule every projection applied inline (on the command path, not `followsLog`) keeps: a
 * rebuild applies events in the log's order, (transaction id, position), and a transaction's
 * id is fixed at its first write, while live rows are written in the order transactions take
 * their row locks. The two agree only if a row is written by the events of one stream (which
 * its writers serialize on) or the writers take `writersLock` before their first write; a row
 * that events of several streams write without that lock could end one way live and another
 * way rebuilt (review).
 */
export interface Projection {
  name: string;
  /** Tables the projection owns, emptied before a rebuild. */
  tables: string[];
  handles(type: string): boolean;
  apply(tx: PoolClient, events: RecordedEvent[]): Promise<void>;
  /**
   * `apply` only writes: it reads no rows back and does not use the events' positions
   * (on the command path they get theirs when the batch commits, and it sees 0). Its
   * statements are then recorded and sent with the commit instead of one round trip each.
   */
  writesOnly?: boolean;
  /**
   * The advisory lock (its key text, for `hashtext`) that writers of these tables hold
   * while they read and decide: a repair (rebuildLive) holds it too, so no writer decides
   * on rows from before the repair and writes after it.
   */
  writersLock?: string;
  /**
   * The version of the rules `apply` follows: bump it when a change makes the projection
   * compute other rows from the same events (a new materializer, say). A service starting
   * with another version than its live tables were built with repairs them first
   * (bringProjectionsUpToDate).
   */
  version?: number;
  /**
   * Set for a projection of other services' events, which no transaction of its own service
   * appends: it follows the log on its own (startProjector), committing its rows with its
   * checkpoint, so its live rows are as of that checkpoint, where a rebuild compares them.
   */
  followsLog?: boolean;
}

/** The checkpoint name of a projection that follows the log (projectBatch). */
export const projectionCheckpoint = (projection: Projection): string => `projection:${projection.name}`;

export function handlesTypes(types: readonly string[]): (type: string) => boolean {
  const set = new Set(types);
  return (type) => set.has(type);
}

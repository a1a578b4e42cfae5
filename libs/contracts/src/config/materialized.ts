import { z } from 'zod';
import { query } from '../define';
import { objectName, patchVersion } from './names';

export type GoldenState = 'IS_GOLDEN' | 'NOT_GOLDEN';

/** A materialized config as the document shows it. */
export interface MaterializedView {
  objectName: string;
  releaseVersion: string;
  patchVersion: number | null;
  previousReleaseVersion: string | null;
  previousPatchVersion: number | null;
  state: GoldenState | null;
  config: string;
  metadata: string;
  timestampMS: number;
  /**
   * Which of the object's materialized versions this is (1, 2, ... as the log is folded),
   * for a stored one. Not in the document: the gateway leaves it out. The deployer records
   * it with what it applies (ConfigApplied), so that golden means this very config.
   */
  materializedSeq?: number;
}

/**
 * The latest materialized config of each object, by name in byte order; of the named
 * objects only when `objects` is given (a push of a few objects reads those, not a store of
 * tens of MB: unnamed objects without a config are simply not in the answer).
 */
export const MAX_LISTED_OBJECTS = 10_000;
const some = z.object({ objects: z.array(objectName).max(MAX_LISTED_OBJECTS).optional() }).strict();
export const ListMaterialized = query<typeof some, MaterializedView[]>('qry.config.list-materialized.v1', some);
/** The names of the objects with a materialized config, in the same order, without their configs. */
const none = z.object({}).strict();
export const ListMaterializedNames = query<typeof none, string[]>('qry.config.list-materialized-names.v1', none, { hedged: true });
const one = z.object({ object: objectName }).strict();
export const GetMaterialized = query<typeof one, MaterializedView>('qry.config.get-materialized.v1', one, { hedged: true });
const previous = z.object({ object: objectName, version: patchVersion }).strict();
export const ConfigAroundPatch = query<typeof previous, { prevConfig: string; newConfig: string }>('qry.config.config-around-patch.v1', previous, { hedged: true });

import { ConfigApplied, type EventDataOf } from '@slipway/contracts';
import { catchUp, handlesTypes, type Projection } from '@slipway/event-log';
import type { Pool } from 'pg';

/**
 * Golden state: which (release, patch) the deployer last applied per object, and which
 * materialized version of the object that was (when the event says), from the
 * deployer's ConfigApplied events. It follows the log itself rather than the EVENTS stream,
 * so a config-store stopped for longer than EVENTS keeps events still catches up, and a
 * replay rebuilds and checks it like every other read model. Kept by event position: an
 * older event read later (the log is read in commit order) changes nothing.
 */
export const goldenProjection: Projection = {
  name: 'config_golden',
  tables: ['golden_configs'],
  followsLog: true,
  handles: handlesTypes([ConfigApplied.type]),
  async apply(tx, events) {
    for (const event of events) {
      const { objectName, releaseVersion, patchVersion, materializedSeq } = event.data as EventDataOf<typeof ConfigApplied>;
      await tx.query(
        `INSERT INTO golden_configs (object_name, release_version, patch_version, materialized_seq, position) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (object_name) DO UPDATE SET release_version = EXCLUDED.release_version, patch_version = EXCLUDED.patch_version,
           materialized_seq = EXCLUDED.materialized_seq, position = EXCLUDED.position WHERE golden_configs.position < EXCLUDED.position`,
        [objectName, releaseVersion, patchVersion ?? 0, materializedSeq ?? null, event.position],
      );
    }
  },
};

/** Golden state as of the events committed now: a read after a push's answer sees that push. */
export const goldenCaughtUp = (db: Pool): Promise<void> => catchUp(db, goldenProjection);

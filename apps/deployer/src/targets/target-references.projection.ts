import { InstallationCreated, InstallationRemoved, type EventDataOf, type TargetKey } from '@slipway/contracts';
import { handlesTypes, type Projection } from '@slipway/event-log';
import type { PoolClient } from 'pg';

type Placement = EventDataOf<typeof InstallationCreated>;

/**
 * Which installations point at which target, from the installations' own events. The
 * delete-target decision counts rows here; whoever places an installation must take
 * `lockTarget` in the same transaction so the count cannot go stale under the delete.
 */
export const targetReferencesProjection: Projection = {
  name: 'deployer_target_references',
  tables: ['target_references'],
  handles: handlesTypes([InstallationCreated.type, InstallationRemoved.type]),
  async apply(tx, events) {
    for (const event of events) {
      const data = event.data as Placement;
      if (event.type === InstallationCreated.type) {
        await tx.query(
          'INSERT INTO target_references (installation_id, namespace, target) VALUES ($1, $2, $3) ON CONFLICT (installation_id) DO UPDATE SET target = EXCLUDED.target',
          [data.installationId, data.namespace, data.target],
        );
      } else {
        await tx.query('DELETE FROM target_references WHERE installation_id = $1', [data.installationId]);
      }
    }
  },
};

/**
 * Serialises "delete target" against "place an installation on it". Two keys, the first
 * naming the family: a one-key lock on a name users choose could be made to hash like the
 * relay's or a projector's leadership lock, and wait behind it for good.
 */
export async function lockTarget(tx: PoolClient, key: TargetKey): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('slipway:target'), hashtext($1))", [`${key.namespace}/${key.name}`]);
}

export async function countReferences(tx: PoolClient, key: TargetKey): Promise<number> {
  const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM target_references WHERE namespace = $1 AND target = $2', [key.namespace, key.name]);
  return rows[0]!.n;
}

import { ObjectDeleted, type CommandEnvelope, type EventDataOf } from '@slipway/contracts';
import { deleteObject } from '@slipway/kube';
import type { Pool } from 'pg';
import type { ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { requireLive } from './live-object';
import { carryOut, onceInNamespaceTurn } from './once-in-turn';
import { confirmTurnHeld } from './namespace-lock';
import { objectKey } from './intended-manifest';
import { KubeRefusal } from './kube-refusal';

type Deletable = Omit<EventDataOf<typeof ObjectDeleted>, 'deletedAt' | 'uid'> & { apiVersion: string };

/**
 * Deletes a live Job or Pod of the Deployment Manager namespace, at most once by command id.
 *
 * The deletion is recorded first (ObjectDeleted, with the object's uid), then sent with
 * that uid as a precondition. Delivered again with its outcome recorded, the command
 * answers as the first time, and finishes the deletion of that very object (the deployer
 * may have stopped before sending it) unless a push applied it since; it never touches one
 * made since under the same name (a StatefulSet's replacement pod, the job created again). Recorded before the call, a crash can no longer turn a deletion into
 * a `not-found` refusal of its own redelivery. A dry run first makes sure the API server
 * would carry it out, so what stays refused is never recorded as deleted.
 */
export function deleteLiveObject(db: Pool, access: ClusterAccess, subject: string, envelope: CommandEnvelope, object: Deletable): Promise<null> {
  const { client, namespace } = access.require();
  const ref = { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.name, namespace } };
  const send = async (uid: string | undefined, dryRun = false) => {
    await confirmTurnHeld();
    const deleted = await deleteObject(client, ref, { uid, dryRun });
    if (!deleted.ok) throw new KubeRefusal(`could not delete ${object.kind.toLowerCase()} "${object.name}"`, deleted.error);
  };
  return onceInNamespaceTurn(db, namespace, envelope, async () => {
    const { uid } = (await requireLive(client, ref)).metadata;
    // A deletion the API server refuses (authorization, admission) is refused before it is
    // recorded: the log must not say deleted what stays.
    await send(uid, true);
    const recorded = { kind: object.kind, name: object.name, uid };
    await recordClusterCommand(db, subject, envelope, namespace, { kind: 'delete-object', object: recorded, now: envelope.issuedAt }, () => null);
    await carryOut(envelope.commandId, () => send(uid));
    return null;
  }, async (own) => {
    if (own?.type !== ObjectDeleted.type) return;
    // A push that applied the object since (the same one, by its uid, when the deletion never
    // went out) meant it live: the deletion no longer stands. Pushed since: golden, and not
    // deleted since its push (an object never pushed is never golden).
    const { golden, deletedSincePush } = await readClusterState(db, namespace);
    const key = `${object.kind}/${object.name}`;
    if (Object.values(golden).some((applied) => objectKey(applied.manifest) === key) && !deletedSincePush.includes(key)) return;
    await carryOut(envelope.commandId, () => send((own.data as EventDataOf<typeof ObjectDeleted>).uid));
  });
}

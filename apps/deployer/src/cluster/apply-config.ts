import { quoted } from '@slipway/contracts';
import { FIELD_MANAGER, applyObject, deleteObject, findObject, giveBackManagedFields, ok, slipwayApplyOf, takeOverFields, type KubeClient, type KubeError, type KubeObject, type KubeResult } from '@slipway/kube';

/**
 * Server-side apply of a pushed config as `slipway`, taking over the fields it sets from
 * whoever changed them since (`kubectl edit`, `kubectl set image`, Slipway's own scaler
 * after hibernate or revive): a push makes the cluster what the materialized configs say,
 * which is how drift is mended, as Argo CD's server-side sync forces its manifests. Fields
 * the config does not set stay with their managers.
 *
 * Most of a Job cannot change once it exists (its pod template, `completions`, `selector`): a
 * config that changes such a field (a new release's migration image) replaces the Job — the
 * one that ran is deleted, the new one runs — as Argo CD's Replace and Helm's
 * before-hook-creation policy do. Only a Job Slipway applied: one made otherwise (kubectl, a
 * script) is not Slipway's to delete and run again — Slipway's labels alone change its pod
 * template — so its push is refused, saying so, as Argo CD's sync of it fails. Other kinds'
 * immutable fields (a Deployment's selector) are refused as the API server says: replacing
 * those would take their pods down. `previous` is the manifest as Slipway last applied it
 * (see adopted).
 */
export async function applyConfig(client: KubeClient, manifest: KubeObject, previous?: unknown): Promise<KubeResult<KubeObject>> {
  const applied = await applyObject(client, manifest, { force: true });
  if (applied.ok) return adopted(client, manifest, applied.value, previous);
  if (manifest.kind !== 'Job' || !changesImmutableField(applied.error)) return applied;
  const live = await findObject(client, manifest);
  if (!live.ok) return live;
  if (live.value && !appliedBySlipway(live.value)) return madeElsewhere(manifest, live.value, applied.error);
  if (live.value) {
    // Only the Job whose fields were refused: one made since under the name stays.
    const deleted = await deleteObject(client, manifest, { uid: live.value.metadata.uid });
    if (!deleted.ok) return deleted;
  }
  return applyObject(client, manifest, { force: true });
}

/**
 * What server-side apply leaves of fields that are not the applier's own is taken over, and
 * the config applied again, which removes what it leaves out (take-over-fields.ts): an
 * object made with client-side `kubectl apply` (that manager's fields, as `kubectl apply
 * --server-side` moves them), and fields the last apply set that this config leaves out but
 * someone changed since, or nobody owns (stranded-fields.ts). Once only: then none are left
 * to move. Not a Job's, whose pod template cannot change: removing a field of it is refused.
 * Should the config without them be refused all the same (another immutable field), they go
 * back to their managers, and the object stays as first applied.
 */
async function adopted(client: KubeClient, manifest: KubeObject, live: KubeObject, previous: unknown): Promise<KubeResult<KubeObject>> {
  if (manifest.kind === 'Job') return ok(live);
  const moved = await takeOverFields(client, live, previous, manifest);
  // Not moved (written by others again and again meanwhile, say): failed, so that the push does
  // not record it applied, and the next finds the fields left out still to take over.
  if (!moved.ok) {
    return { ok: false, error: { ...moved.error, message: `${manifest.kind}/${manifest.metadata.name} was applied, but what its config leaves out that kubectl changed could not be taken over to be removed (${moved.error.message}): push it again` } };
  }
  if (!moved.value) return ok(live);
  const again = await applyObject(client, manifest, { force: true });
  if (again.ok) return again;
  await giveBackManagedFields(client, moved.value.after, moved.value.before);
  return ok(moved.value.before);
}

const appliedBySlipway = (live: KubeObject): boolean => slipwayApplyOf(live.metadata.managedFields ?? []) !== undefined;

function madeElsewhere(manifest: KubeObject, live: KubeObject, refusal: KubeError): KubeResult<KubeObject> {
  // Who wrote the object, not its status (the Job controller's).
  const makers = [...new Set((live.metadata.managedFields ?? []).filter((entry) => !entry.subresource).map((entry) => entry.manager).filter((manager) => manager !== undefined))];
  const by = makers.length ? `; written by ${makers.map((manager) => quoted(manager)).join(', ')}` : '';
  const message = `Job/${manifest.metadata.name} was not applied by Slipway (it has no ${quoted(FIELD_MANAGER)} apply entry${by}), and its config changes fields a Job cannot change once it exists (its pod template takes Slipway's labels): `
    + 'Slipway replaces only Jobs it applied, so this one is left as it is; delete it (kubectl delete job) for the push to create it';
  return { ok: false, error: { ...refusal, message } };
}

/**
 * Refused only for changing what cannot change: a config that is also invalid otherwise is
 * left refused, rather than the Job that ran deleted for one that could not be created.
 */
function changesImmutableField(error: KubeError): boolean {
  return error.kind === 'invalid' && error.causes.length > 0 && error.causes.every((cause) => cause.immutable === true);
}

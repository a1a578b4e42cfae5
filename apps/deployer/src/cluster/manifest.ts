import type { MaterializedView } from '@slipway/contracts';
import { withSlipwayLabels, type KubeObject } from '@slipway/kube';
import { isClusterScoped } from '@slipway/materializer';
import { parse } from 'yaml';

/**
 * What the deployer sends for a materialized config: the object, placed in the Deployment
 * Manager namespace (whatever namespace its config names; none for a cluster-scoped kind),
 * with Slipway's labels. The
 * revision is the config's release and patch version, so an unchanged config re-applies
 * unchanged and its pods are not restarted. Returns a reason when the config is no object.
 */
export function manifestOf(view: MaterializedView, namespace: string): { ok: true; manifest: KubeObject } | { ok: false; reason: string } {
  let object: unknown;
  try {
    object = parse(view.config);
  } catch (error) {
    return { ok: false, reason: `the materialized config is not YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const candidate = object as Partial<KubeObject> | null;
  if (!candidate || typeof candidate !== 'object' || !candidate.apiVersion || !candidate.kind || !candidate.metadata?.name) {
    return { ok: false, reason: 'the materialized config has no apiVersion, kind and metadata.name' };
  }
  const revision = `${view.releaseVersion}-${view.patchVersion ?? 0}`;
  // A cluster-scoped object has no namespace to be placed in.
  const { namespace: _named, ...metadata } = candidate.metadata;
  const placed = { ...candidate, metadata: isClusterScoped(candidate.kind) ? metadata : { ...metadata, namespace } } as KubeObject;
  return {
    ok: true,
    manifest: withSlipwayLabels(placed, { namespace, deploymentId: view.objectName, deploymentName: view.objectName, revision, rolloutId: revision }),
  };
}

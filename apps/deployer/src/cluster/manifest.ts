import { parseCheckedYaml, yamlProblemShown, type MaterializedView } from '@slipway/contracts';
import { podTemplateOf, REVISION, ROLLOUT_ID, withSlipwayLabels, type KubeObject, type PodRevision } from '@slipway/kube';
import { isClusterScoped, structurallyEqual, type JsonValue } from '@slipway/materializer';
import { isJsonMap, type JsonMap } from './match-elements';
import { isBuiltInGroup } from './quantity-fields';
import { asStored, isSecret } from './secret-drift';

/**
 * What the deployer sends for a materialized config: the object, placed in the Deployment
 * Manager namespace (whatever namespace its config names; none for a cluster-scoped kind),
 * with Slipway's labels. The revision is the config's release and patch version, so an
 * unchanged config re-applies unchanged and its pods are not restarted; `pods` gives a
 * workload's pod template other revision labels (see podRevisionKept). Returns a reason
 * when the config is no object.
 */
export function manifestOf(
  view: MaterializedView, namespace: string, pods?: PodRevision,
): { ok: true; manifest: KubeObject } | { ok: false; reason: string } {
  let object: unknown;
  try {
    object = parseCheckedYaml(view.config);
  } catch (error) {
    // Without the config's own text: the parser's message quotes it (the lines around the fault, a bad escape).
    return { ok: false, reason: `the materialized config is not YAML: ${yamlProblemShown(error instanceof Error ? error.message : String(error))}` };
  }
  const candidate = object as Partial<KubeObject> | null;
  if (!candidate || typeof candidate !== 'object' || !candidate.apiVersion || !candidate.kind || !candidate.metadata?.name) {
    return { ok: false, reason: 'the materialized config has no apiVersion, kind and metadata.name' };
  }
  const revision = `${view.releaseVersion}-${view.patchVersion ?? 0}`;
  // A cluster-scoped object has no namespace to be placed in. What the API server keeps of
  // an object it made (a config copied from `kubectl get -o yaml`) is not sent: its
  // resourceVersion would make every push after the first a conflict, as with kubectl apply.
  const {
    namespace: _named, resourceVersion: _version, uid: _uid, creationTimestamp: _created, generation: _generation, managedFields: _managers, selfLink: _self,
    deletionTimestamp: _deleting, deletionGracePeriodSeconds: _grace, ...metadata
  } = candidate.metadata as KubeObject['metadata'] & { generation?: unknown; selfLink?: unknown; deletionTimestamp?: unknown; deletionGracePeriodSeconds?: unknown };
  const placed = withStringDataFolded(withoutKeptByOthers({ ...candidate, metadata: isClusterScoped(candidate) ? metadata : { ...metadata, namespace } } as KubeObject));
  const owner = { namespace, deploymentId: view.objectName, deploymentName: view.objectName, revision, rolloutId: revision };
  return { ok: true, manifest: withSlipwayLabels(placed, owner, pods) };
}

/**
 * Annotations that others write on an object, copied along with it from `kubectl get -o yaml`:
 * sent, the push would own them, and set them back after each change their writer makes (a
 * Deployment's revision, which its controller raises: every push made a new generation).
 */
const KEPT_BY_OTHERS = ['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration'];

/**
 * The object without what its controllers and the API server write: the `status` of a
 * built-in kind, which the API server does not take with the object (it is a subresource of
 * its own, so a copied status was drift for good, as Argo CD and `kubectl diff` leave it out),
 * and the annotations of KEPT_BY_OTHERS. A custom kind without a status subresource stores
 * what it is sent, its status too: sent as written.
 */
function withoutKeptByOthers(object: KubeObject): KubeObject {
  const annotations = object.metadata.annotations;
  const kept = annotations && KEPT_BY_OTHERS.some((name) => Object.hasOwn(annotations, name))
    ? Object.fromEntries(Object.entries(annotations).filter(([name]) => !KEPT_BY_OTHERS.includes(name)))
    : annotations;
  const { status: _status, ...withoutStatus } = object as KubeObject & { status?: unknown };
  const base = isBuiltInGroup(object.apiVersion) ? withoutStatus as KubeObject : object;
  return kept === annotations ? base : { ...base, metadata: { ...base.metadata, annotations: kept } };
}

/**
 * A Secret with its `stringData` folded into `data`, as the API server would store it. Sent
 * as written, the server-side apply records Slipway owning `stringData` keys, which are
 * never stored, and nobody the `data` keys they become: a key a later config left out of
 * `stringData` stayed in the Secret for good. A null entry is stored as "" (the config-store
 * takes it: an entry left unset); a value of another type is sent as written, for the API
 * server's refusal to name the field.
 */
function withStringDataFolded(object: KubeObject): KubeObject {
  const { stringData } = object as KubeObject & { stringData?: unknown };
  if (!isSecret(object) || !isJsonMap(stringData) || !Object.values(stringData).every((value) => typeof value === 'string' || value === null)) return object;
  const strings = Object.fromEntries(Object.entries(stringData).map(([key, value]) => [key, value ?? '']));
  return asStored({ ...object, stringData: strings } as unknown as JsonMap) as unknown as KubeObject;
}

/** A pod template without its revision labels. */
function withoutRevision(template: { metadata?: { labels?: Record<string, string> } }): JsonValue {
  const { [REVISION]: _revision, [ROLLOUT_ID]: _rollout, ...labels } = template.metadata?.labels ?? {};
  return { ...template, metadata: { ...template.metadata, labels } } as JsonValue;
}

/**
 * The revision labels the last applied manifest gave its pod template, when `next`'s pod
 * template is the same apart from them (both as recorded: secrets digested): kept, a
 * workload is not rolled (every pod replaced) for a change that is not its pods' — a rewrite
 * that reached the object, another field patched — as a Deployment's pod-template-hash
 * changes only with the template.
 */
export function podRevisionKept(next: KubeObject, applied: Record<string, unknown> | undefined): PodRevision | undefined {
  const template = podTemplateOf(next);
  const before = applied && applied.kind === next.kind ? podTemplateOf(applied) : undefined;
  const labels = before?.metadata?.labels;
  if (!template || !before || !labels?.[REVISION] || !labels[ROLLOUT_ID]) return undefined;
  return structurallyEqual(withoutRevision(template), withoutRevision(before)) ? { revision: labels[REVISION], rolloutId: labels[ROLLOUT_ID] } : undefined;
}

import { fieldKeys } from './dropped-zeros';
import type { JsonMap } from './match-elements';
import { isBuiltInGroup, type ObjectType } from './quantity-fields';

/** An address or port the API server picks when given none: any it picked is what the zero asked for. */
const ALLOCATED = Symbol('allocated');

/** The value an empty or zero field reads back as: a default, one worked out from the field's holder, or ALLOCATED. */
interface Defaulted { value: string | number | typeof ALLOCATED | ((holder: JsonMap) => string); kinds?: readonly string[] }

/**
 * Fields of the built-in kinds that the API server sets to a default when they are empty or
 * zero (k8s.io/kubernetes, pkg/apis/*\/v1/defaults.go), or allocates then: an applied `""` or
 * `0` reads back as that default, which is what the zero asked for. Keyed as dropped-zeros.ts
 * keys its fields (fieldKeys), a kind named where the key alone is ambiguous. Each default is
 * the one value taken for no drift: the live field at any other value was changed by someone,
 * and still is drift.
 */
const DEFAULT_WHEN_EMPTY = new Map<string, Defaulted>([
  // Container (and init and ephemeral containers)
  ['terminationMessagePath', { value: '/dev/termination-log' }],
  ['terminationMessagePolicy', { value: 'File' }],
  ['imagePullPolicy', { value: (container: JsonMap) => pullPolicyFor(container.image) }],
  ['ports.protocol', { value: 'TCP' }],
  ['httpGet.scheme', { value: 'HTTP' }],
  // Probes (liveness, readiness, startup)
  ['timeoutSeconds', { value: 1 }],
  ['periodSeconds', { value: 10 }],
  ['successThreshold', { value: 1 }],
  ['failureThreshold', { value: 3 }],
  ['fieldRef.apiVersion', { value: 'v1' }],
  // PodSpec (a Pod's, a template's)
  ['spec.restartPolicy', { value: 'Always' }],
  ['spec.dnsPolicy', { value: 'ClusterFirst' }],
  ['spec.schedulerName', { value: 'default-scheduler' }],
  // Workloads
  ['strategy.type', { value: 'RollingUpdate', kinds: ['Deployment'] }],
  ['updateStrategy.type', { value: 'RollingUpdate', kinds: ['StatefulSet', 'DaemonSet'] }],
  ['spec.podManagementPolicy', { value: 'OrderedReady', kinds: ['StatefulSet'] }],
  ['spec.concurrencyPolicy', { value: 'Allow', kinds: ['CronJob'] }],
  // Service
  ['spec.type', { value: 'ClusterIP', kinds: ['Service'] }],
  ['spec.sessionAffinity', { value: 'None', kinds: ['Service'] }],
  ['spec.internalTrafficPolicy', { value: 'Cluster', kinds: ['Service'] }],
  ['spec.clusterIP', { value: ALLOCATED, kinds: ['Service'] }],
  ['ports.nodePort', { value: ALLOCATED, kinds: ['Service'] }],
  // Secret
  ['.type', { value: 'Opaque', kinds: ['Secret'] }],
]);

/**
 * The pull policy the API server gives a container sent without one: `Always` for an image of
 * the tag `latest` or of no tag and no digest (which is `latest`), else `IfNotPresent`.
 */
function pullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const [name, digest] = image.split('@');
  const lastPart = name!.slice(name!.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : digest === undefined ? 'latest' : '';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * Whether an applied `""` or `0` at `fields` of an object of `type` reads back as `got`
 * because the API server gave the field its default there, or allocated it
 * (DEFAULT_WHEN_EMPTY): no drift. `holder` is the applied map holding the field (a
 * container's pull policy depends on its image).
 */
export function isDefaultedEmpty(type: ObjectType, fields: readonly string[], value: unknown, got: unknown, holder: JsonMap): boolean {
  if ((value !== '' && value !== 0) || got === undefined || got === null || !isBuiltInGroup(type.apiVersion)) return false;
  const key = fieldKeys(fields).find((candidate) => DEFAULT_WHEN_EMPTY.has(candidate));
  const defaulted = key === undefined ? undefined : DEFAULT_WHEN_EMPTY.get(key);
  if (!defaulted || (defaulted.kinds && !defaulted.kinds.includes(type.kind ?? ''))) return false;
  if (defaulted.value === ALLOCATED) return typeof got === typeof value;
  return got === (typeof defaulted.value === 'function' ? defaulted.value(holder) : defaulted.value);
}

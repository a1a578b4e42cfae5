import type { JsonMap } from './match-elements';
import { isBuiltInGroup, type ObjectType } from './quantity-fields';

/**
 * String fields of the built-in kinds that the API server sets to a default when they are
 * empty (k8s.io/kubernetes, pkg/apis/*\/v1/defaults.go): an applied `""` reads back as that
 * default, which is what the `""` asked for. Keyed as dropped-zeros.ts keys its fields
 * (`name`, or `parent.name`, list positions left out; `.name` at the object's root), a kind
 * named where the key alone is ambiguous.
 * Each default is the one value taken for no drift: the live field at any other value was
 * changed by someone, and still is drift.
 */
const DEFAULT_WHEN_EMPTY: ReadonlyMap<string, { value: string | ((holder: JsonMap) => string); kinds?: readonly string[] }> = new Map([
  // Container (and init and ephemeral containers)
  ['terminationMessagePath', { value: '/dev/termination-log' }],
  ['terminationMessagePolicy', { value: 'File' }],
  ['imagePullPolicy', { value: (container: JsonMap) => pullPolicyFor(container.image) }],
  ['ports.protocol', { value: 'TCP' }],
  ['httpGet.scheme', { value: 'HTTP' }],
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
 * Whether an applied `""` at `fields` of an object of `type` reads back as `got` because the
 * API server gave the field its default there (DEFAULT_WHEN_EMPTY): no drift. `holder` is the
 * applied map holding the field (a container's pull policy depends on its image).
 */
export function isDefaultedEmpty(type: ObjectType, fields: readonly string[], value: unknown, got: unknown, holder: JsonMap): boolean {
  if (value !== '' || typeof got !== 'string' || !isBuiltInGroup(type.apiVersion)) return false;
  const [parent, name] = [fields.at(-2), fields.at(-1)];
  if (name === undefined) return false;
  const key = [parent === undefined ? `.${name}` : `${parent}.${name}`, name].find((candidate) => DEFAULT_WHEN_EMPTY.has(candidate));
  const defaulted = key === undefined ? undefined : DEFAULT_WHEN_EMPTY.get(key)!;
  if (!defaulted || (defaulted.kinds && !defaulted.kinds.includes(type.kind ?? ''))) return false;
  return got === (typeof defaulted.value === 'string' ? defaulted.value : defaulted.value(holder));
}

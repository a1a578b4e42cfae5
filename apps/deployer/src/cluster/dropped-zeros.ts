import { isBuiltInGroup, type ObjectType } from './quantity-fields';

/**
 * Fields of the built-in kinds that Go declares as plain values with `omitempty` (k8s.io/api):
 * the API server does not store one at its zero, so an applied `""`, `false` or `0` reads back
 * absent. Each name stands for where it is such a field: `parent.name` where the name alone
 * would also cover a pointer field elsewhere (a CSI volume's `readOnly` is kept at false).
 * Listed, not guessed: a pointer's zero is kept (a PodDisruptionBudget's `maxUnavailable: 0`,
 * `runAsUser: 0`), and were one of those taken for dropped, its removal would hide as no drift.
 */
const DROPPED_AT_ZERO = new Set([
  // Container
  'workingDir', 'stdin', 'stdinOnce', 'tty', 'env.value', 'volumeMounts.readOnly', 'volumeMounts.subPath', 'volumeMounts.subPathExpr', 'ports.hostPort', 'ports.hostIP',
  // PodSpec, and the Deployment-like specs (all under `spec`)
  ...['serviceAccountName', 'serviceAccount', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'hostname', 'subdomain', 'priorityClassName', 'paused', 'minReadySeconds'].map((name) => `spec.${name}`),
  // A volume's claim, an emptyDir's medium
  'persistentVolumeClaim.readOnly', 'emptyDir.medium',
  // Probe; envFrom; a container's or a Service's port name, a Service's node port (given one when of type NodePort: defaulted-empties.ts)
  'initialDelaySeconds', 'envFrom.prefix', 'ports.name', 'ports.nodePort',
  // Service
  'spec.publishNotReadyAddresses', 'spec.externalName',
]);

const isZero = (value: unknown): boolean => value === '' || value === false || value === 0;

/**
 * Whether an applied `value` at `fields` (as quantityScale takes them: list positions left out)
 * is a zero the API server drops (DROPPED_AT_ZERO): not stored, it reads back absent, and
 * `kubectl diff` reports nothing. A custom resource is stored as sent: its zeros read back.
 */
export function isDroppedZero(type: ObjectType, fields: readonly string[], value: unknown): boolean {
  // An EndpointSlice's port name is a pointer: its "" is kept.
  if (!isZero(value) || !isBuiltInGroup(type.apiVersion) || type.kind === 'EndpointSlice') return false;
  return fieldKeys(fields).some((key) => DROPPED_AT_ZERO.has(key));
}

/**
 * How these lists name the field at `fields` (as quantityScale takes them: list positions left
 * out): `parent.name`, then `name` alone; `.name` for a field at the object's root.
 */
export function fieldKeys(fields: readonly string[]): string[] {
  const [parent, name] = [fields.at(-2), fields.at(-1)];
  return name === undefined ? [] : [parent === undefined ? `.${name}` : `${parent}.${name}`, name];
}

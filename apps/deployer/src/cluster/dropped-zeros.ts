import { isBuiltInGroup, type ObjectType } from './quantity-fields';

/**
 * Fields of the built-in kinds that are maps (Go `map[string]…`): their entries are kept
 * whatever their value (a label `team: ""` reads back), so an entry gone is drift.
 */
const MAP_FIELDS = new Set([
  'labels', 'annotations', 'data', 'binaryData', 'stringData', 'nodeSelector', 'matchLabels', 'selector',
  'parameters', 'volumeAttributes', 'options', 'limits', 'requests', 'hard', 'capacity', 'overhead', 'podFixed',
]);

/**
 * Fields the API server keeps at their zero value (Go pointers) and whose absence means
 * something else than that zero: left out, a pod mounts its service account's token, may gain
 * privileges, runs as its image's user, or a finished Job is kept for ever. Such a zero gone
 * is drift. (Other pointers' absence means their zero, or the API server fills in a default
 * that then differs.)
 */
const KEPT_ZEROS = new Set([
  'automountServiceAccountToken', 'allowPrivilegeEscalation', 'hostUsers', 'runAsUser', 'runAsGroup', 'fsGroup',
  'ttlSecondsAfterFinished', 'startingDeadlineSeconds',
]);

const isZero = (value: unknown): boolean => value === '' || value === false || value === 0;

/**
 * Whether an applied `value` at `fields` (as quantityScale takes them) is a zero the API server
 * drops: a field of a built-in kind's struct written `omitempty` in Go (`workingDir: ""`,
 * `hostNetwork: false`, an env entry's `value: ""`) is not stored at its zero, so it reads
 * back absent, and `kubectl diff` reports nothing. A custom resource is stored as sent: its
 * zeros read back.
 */
export function isDroppedZero(type: ObjectType, fields: readonly string[], value: unknown): boolean {
  if (!isZero(value) || !isBuiltInGroup(type.apiVersion)) return false;
  const [parent, name] = [fields.at(-2), fields.at(-1)];
  return name !== undefined && !KEPT_ZEROS.has(name) && !(parent !== undefined && MAP_FIELDS.has(parent));
}

import { DomainError, isoTime, quoted, shownKey, type TargetDefinition, type TargetView } from '@slipway/contracts';

const TOP_FIELDS = new Set(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
const METADATA_FIELDS = new Set(['name', 'namespace', 'labels', 'annotations', 'id', 'createdAt', 'modifiedAt', 'resourceVersion']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * A field sent with a value. A null reads as the field left out, for every field alike: a
 * client that writes its unset fields as null sends `id: null` as readily as
 * `resourceVersion: null` (which alone was taken so).
 */
const given = (v: unknown): boolean => v !== undefined && v !== null;

function refuseUnknown(value: Record<string, unknown>, allowed: Set<string>, at: string): void {
  // `""` too: a key written `""`, or YAML's `? ` with no key, is no field either.
  const unknown = Object.keys(value).find((key) => !allowed.has(key));
  if (unknown !== undefined) throw new DomainError('invalid', `unknown field "${shownKey(at + unknown)}"`, shownKey(at + unknown));
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (!given(value)) return {};
  if (!isObject(value)) throw new DomainError('invalid', `${field} must be a map of strings`, field);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new DomainError('invalid', `${shownKey(`${field}.${key}`)} must be a string`, shownKey(`${field}.${key}`));
  }
  return value as Record<string, string>;
}

/**
 * A DeploymentTarget document (JSON or YAML) → the domain's definition. Read-only
 * metadata (id, timestamps) is accepted and ignored, so a document fetched with GET can
 * be sent back with PUT; its resourceVersion is the PUT's precondition (expectedVersionOf).
 */
export function toDefinition(body: unknown, namespace: string, pathName?: string): TargetDefinition {
  if (!isObject(body)) throw new DomainError('invalid', 'the body must be a DeploymentTarget object');
  refuseUnknown(body, TOP_FIELDS, '');
  if (given(body.kind) && body.kind !== 'DeploymentTarget') throw new DomainError('invalid', `kind must be "DeploymentTarget", not ${quoted(body.kind)}`, 'kind');
  if (given(body.apiVersion) && body.apiVersion !== 'v1') throw new DomainError('invalid', `apiVersion must be "v1", not ${quoted(body.apiVersion)}`, 'apiVersion');
  const metadata = body.metadata ?? {};
  if (!isObject(metadata)) throw new DomainError('invalid', 'metadata must be an object', 'metadata');
  refuseUnknown(metadata, METADATA_FIELDS, 'metadata.');
  const name = metadata.name ?? pathName;
  if (name === undefined) throw new DomainError('invalid', 'metadata.name is required', 'metadata.name');
  if (typeof name !== 'string') throw new DomainError('invalid', 'metadata.name must be a string', 'metadata.name');
  if (pathName !== undefined && name !== pathName) throw new DomainError('invalid', `metadata.name ${quoted(name)} does not match the name in the path "${pathName}"`, 'metadata.name');
  if (given(metadata.namespace) && metadata.namespace !== namespace) {
    throw new DomainError('invalid', `metadata.namespace ${quoted(metadata.namespace)} does not match the namespace in the path "${namespace}"`, 'metadata.namespace');
  }
  checkReadOnly(body, metadata);
  return {
    namespace, name,
    labels: stringMap(metadata.labels, 'metadata.labels'),
    annotations: stringMap(metadata.annotations, 'metadata.annotations'),
    kubernetesNamespace: kubernetesNamespaceOf(body.spec),
  };
}

const READ_TIME = isoTime();

/**
 * The read-only fields a document fetched with GET carries are ignored, but only in the
 * shape GET gives them: `createdAt: {"a": 1}` or `resourceVersion: "abc"` is a mistake to
 * name, not to drop unsaid.
 */
function checkReadOnly(body: Record<string, unknown>, metadata: Record<string, unknown>): void {
  if (given(metadata.id) && typeof metadata.id !== 'string') throw new DomainError('invalid', `metadata.id must be a string, not ${quoted(metadata.id)}`, 'metadata.id');
  for (const field of ['createdAt', 'modifiedAt'] as const) {
    const value = metadata[field];
    // As the log keeps times: a day the calendar does not have (2020-02-30) is no time, though Date.parse rolls it over.
    if (given(value) && !READ_TIME.safeParse(value).success) {
      throw new DomainError('invalid', `metadata.${field} must be a time as GET gives it (ISO 8601), not ${quoted(value)}`, `metadata.${field}`);
    }
  }
  expectedVersionOf(body);
  if (given(body.status) && !isObject(body.status)) throw new DomainError('invalid', `status must be an object, not ${quoted(body.status)}`, 'status');
}

function kubernetesNamespaceOf(spec: unknown): string | null {
  if (!given(spec)) return null;
  if (!isObject(spec)) throw new DomainError('invalid', 'spec must be an object', 'spec');
  refuseUnknown(spec, new Set(['kubernetes']), 'spec.');
  const kubernetes = spec.kubernetes ?? {};
  if (!isObject(kubernetes)) throw new DomainError('invalid', 'spec.kubernetes must be an object', 'spec.kubernetes');
  refuseUnknown(kubernetes, new Set(['namespace']), 'spec.kubernetes.');
  const ns = kubernetes.namespace;
  if (!given(ns)) return null;
  if (typeof ns !== 'string') throw new DomainError('invalid', 'spec.kubernetes.namespace must be a string', 'spec.kubernetes.namespace');
  return ns;
}

/** Field paths of the domain definition, as the document spells them. */
export const documentField: Record<string, string> = {
  name: 'metadata.name', namespace: 'metadata.namespace', kubernetesNamespace: 'spec.kubernetes.namespace',
  labels: 'metadata.labels', annotations: 'metadata.annotations',
};

/**
 * A map with its keys in byte order, as Kubernetes answers maps (Go writes them sorted): the
 * same in every answer, a create's and a later GET's alike (the log keeps maps as jsonb,
 * which orders keys its own way, so the order they were sent in is not kept).
 */
const inKeyOrder = (map: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => [key, map[key]!]));

export function toDocument(view: TargetView) {
  return {
    kind: 'DeploymentTarget',
    apiVersion: 'v1',
    metadata: {
      id: view.id,
      name: view.name,
      namespace: view.namespace,
      labels: inKeyOrder(view.labels),
      annotations: inKeyOrder(view.annotations),
      createdAt: view.createdAt,
      modifiedAt: view.modifiedAt,
      resourceVersion: view.resourceVersion,
    },
    spec: { kubernetes: view.kubernetesNamespace === null ? {} : { namespace: view.kubernetesNamespace } },
  };
}

/**
 * The version a PUT's sender read (`metadata.resourceVersion`, as GET answers it, or as
 * Kubernetes spells it, a string of digits): the update is refused 409 unless the target
 * is still at it. Without one, a PUT replaces whatever is there.
 */
export function expectedVersionOf(body: unknown): number | undefined {
  const metadata = isObject(body) && isObject(body.metadata) ? body.metadata : {};
  const sent = metadata.resourceVersion;
  if (!given(sent)) return undefined;
  const version = typeof sent === 'string' && /^0*[0-9]{1,15}$/.test(sent) ? Number(sent) : sent;
  // A JSON number past 2^53 is read rounded: quoted back, it would be another number than the one sent.
  if (typeof version === 'number' && Number.isInteger(version) && !Number.isSafeInteger(version)) {
    throw new DomainError('invalid', `metadata.resourceVersion is larger than any version a target has (at most ${Number.MAX_SAFE_INTEGER})`, 'metadata.resourceVersion');
  }
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new DomainError('invalid', `metadata.resourceVersion must be a positive integer, as read from the target (got ${quoted(sent)})`, 'metadata.resourceVersion');
  }
  return version;
}

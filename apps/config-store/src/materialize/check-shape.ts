import { isApiServerBase64, quoted } from '@slipway/contracts';
import { isBuiltinKind, isJsonObject, podSpecPath, type JsonValue, type TypeMeta } from '@slipway/materializer';
import { containerTypeProblems } from './container-shape';

/**
 * The top-level fields of the built-in kinds whose shape is checked here (besides
 * apiVersion, kind and metadata). The API server refuses any other (strict field
 * validation), so a config holding one could only fail every push.
 */
const TOP_FIELDS: Record<string, readonly string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  Deployment: ['spec', 'status'],
  StatefulSet: ['spec', 'status'],
  DaemonSet: ['spec', 'status'],
  ReplicaSet: ['spec', 'status'],
  Job: ['spec', 'status'],
  CronJob: ['spec', 'status'],
  Service: ['spec', 'status'],
  Pod: ['spec', 'status'],
};

/** Fields that must be maps of strings where present (null: left unset, as the API server reads it). */
const STRING_MAPS: Record<string, readonly string[]> = {
  ConfigMap: ['data', 'binaryData'],
  Secret: ['data', 'stringData'],
};

/** Fields whose values the API server decodes as base64 (Go's standard encoding, padded; line breaks are skipped). */
const BASE64_MAPS: Record<string, readonly string[]> = {
  ConfigMap: ['binaryData'],
  Secret: ['data'],
};

/** What a value is, never what it holds: it may be a Secret's. (A YAML `!!timestamp` reads as a Date, no mapping.) */
const describe = (value: JsonValue): string => Array.isArray(value) ? 'a list' : value === null ? 'null' : (value as unknown) instanceof Date ? 'a timestamp (!!timestamp: write it as text)'
  : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;

function stringMapProblem(where: string, value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) return `${where} must be a mapping of strings, got ${describe(value)}`;
  // null: the entry left unset, which the API server takes (`team:` with nothing after it).
  const wrong = Object.entries(value).find(([, v]) => typeof v !== 'string' && v !== null);
  return wrong && `${where}.${wrong[0]} must be a string, got ${describe(wrong[1])}`;
}

/**
 * What the API server would refuse in the shape of a built-in object, whatever its
 * values: an unknown top-level field, metadata, labels, annotations or a ConfigMap's or
 * Secret's data that is not a mapping of strings, a workload without a spec mapping or
 * with containers that are not a list, a container field of another type than the API
 * server's (container-shape.ts). Caught when the config is written (a 400 naming
 * the field) rather than at every push. Other kinds (custom resources) are the API
 * server's to judge.
 */
export function shapeProblems(meta: TypeMeta, object: JsonValue): string[] {
  if (!isJsonObject(object)) return ['the object must be a mapping'];
  const problems: string[] = [];
  const { metadata } = object;
  if (!isJsonObject(metadata)) problems.push(`metadata must be a mapping, got ${describe(metadata ?? null)}`);
  else for (const field of ['labels', 'annotations']) {
    const problem = stringMapProblem(`metadata.${field}`, metadata[field]);
    if (problem) problems.push(problem);
  }
  const kind = meta.kind ?? '';
  if (isListKind(meta)) {
    problems.push(`a ${kind} is kubectl's way to send several objects, which the API server has no resource for: write each of its items as a document of its own`);
  }
  if (!isBuiltinKind(meta) || !Object.hasOwn(TOP_FIELDS, kind)) return problems;
  const allowed = new Set(['apiVersion', 'kind', 'metadata', ...TOP_FIELDS[kind]!]);
  for (const field of Object.keys(object)) if (!allowed.has(field)) problems.push(`unknown field "${field}" for a ${kind}`);
  for (const field of STRING_MAPS[kind] ?? []) {
    const problem = stringMapProblem(field, object[field]);
    if (problem) problems.push(problem);
    else if (BASE64_MAPS[kind]?.includes(field)) problems.push(...base64Problems(field, object[field]));
  }
  const podSpec = podSpecPath(meta);
  if (podSpec) problems.push(...podSpecProblems(object, podSpec));
  return problems;
}

/** The entries of a map of strings the API server would not decode as base64, named by key, never shown. */
function base64Problems(field: string, value: JsonValue | undefined): string[] {
  if (!isJsonObject(value)) return [];
  const hint = field === 'data' ? ' (give text under stringData instead)' : '';
  return Object.entries(value)
    .filter(([, entry]) => typeof entry === 'string' && !isApiServerBase64(entry))
    .map(([key]) => `${field}.${key} must be base64, as the API server decodes it${hint}`);
}

/** `List` (kubectl's), or a built-in kind's list (`DeploymentList`): what a read answers, nothing to apply. */
function isListKind({ apiVersion, kind }: TypeMeta): boolean {
  if (kind === 'List' && apiVersion === 'v1') return true;
  return Boolean(kind?.endsWith('List') && isBuiltinKind({ apiVersion, kind: kind.slice(0, -'List'.length) }));
}

/** Each mapping on the way to the pod spec, and its containers a list. */
function podSpecProblems(object: JsonValue, path: readonly string[]): string[] {
  let at: JsonValue = object;
  const walked: string[] = [];
  for (const segment of path) {
    walked.push(segment);
    const next: JsonValue | undefined = isJsonObject(at) && Object.hasOwn(at, segment) ? at[segment] : undefined;
    if (next === undefined) return [];
    if (!isJsonObject(next)) return [`${walked.join('.')} must be a mapping, got ${describe(next)}`];
    at = next;
  }
  const containers = isJsonObject(at) ? at.containers : undefined;
  if (containers !== undefined && containers !== null && !Array.isArray(containers)) {
    return [`${[...walked, 'containers'].join('.')} must be a list, got ${describe(containers)}`];
  }
  return isJsonObject(at) ? containerTypeProblems(at, walked.join('.')) : [];
}

/** The API group of an apiVersion (`''` for the core group's `v1`). */
const groupOf = (apiVersion: string): string => apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';

/**
 * What a patch may not change: the object is the base's, by kind, name and API group
 * (materialized configs, golden state and pushes are keyed by them). Its version within
 * the group may change (a CronJob moved from batch/v1beta1 to batch/v1).
 */
export function identityProblems(base: { apiVersion: string; kind: string; objectName: string }, patched: JsonValue): string[] {
  if (!isJsonObject(patched)) return ['the object must be a mapping'];
  const problems: string[] = [];
  const { apiVersion, kind } = patched;
  if (typeof apiVersion !== 'string' || groupOf(apiVersion) !== groupOf(base.apiVersion)) {
    problems.push(`apiVersion must stay in the API group of ${JSON.stringify(base.apiVersion)}, got ${apiVersion === undefined ? 'nothing' : quoted(apiVersion)}`);
  } else if (apiVersion !== base.apiVersion && isBuiltinKind(base) && !isBuiltinKind({ apiVersion, kind: base.kind })) {
    // Its shape and integers are checked as of the version it moves to: one not known here could not be.
    problems.push(`apiVersion ${JSON.stringify(apiVersion)} does not serve a ${base.kind}`);
  }
  if (kind !== base.kind) problems.push(`kind must stay ${JSON.stringify(base.kind)}, got ${kind === undefined ? 'nothing' : quoted(kind)}`);
  const name = isJsonObject(patched.metadata) ? patched.metadata.name : undefined;
  if (name !== base.objectName) problems.push(`metadata.name must stay ${JSON.stringify(base.objectName)}, got ${name === undefined ? 'nothing' : quoted(name)}`);
  return problems;
}

import { quoted } from '@slipway/contracts';
import { isJsonObject, podSpecPath, type JsonValue, type TypeMeta } from '@slipway/materializer';

/**
 * The API server's rules for the keys of labels, annotations and a ConfigMap's or Secret's
 * data, and for label values (apimachinery's validation: qualified names, label values,
 * config map keys). A config that breaks one is refused by every push; caught when it is
 * written instead, naming the key. Values are described, never shown: a label's may be
 * anything a patch put there. Checked on what is written from now on (a base uploaded, a
 * patch applied), not on what is stored: patches stored before materialize as they did.
 */

/** What of `object`'s keys (and label values) the API server would refuse: labels and annotations of any kind, a ConfigMap's or Secret's data. */
export function keyProblems(meta: TypeMeta, object: JsonValue): string[] {
  if (!isJsonObject(object)) return [];
  const problems = metadataProblems('metadata', object.metadata);
  // A workload's templates (a CronJob's Job, and its pods'): what they make carries them.
  const podSpec = podSpecPath(meta) ?? [];
  podSpec.forEach((segment, i) => {
    if (segment !== 'template' && segment !== 'jobTemplate') return;
    const at = [...podSpec.slice(0, i + 1), 'metadata'];
    problems.push(...metadataProblems(at.join('.'), valueAt(object, at)));
  });
  if (meta.apiVersion === 'v1' && (meta.kind === 'ConfigMap' || meta.kind === 'Secret')) {
    for (const field of ['data', 'binaryData', 'stringData']) {
      if (isJsonObject(object[field])) problems.push(...dataKeyProblems(field, object[field]));
    }
    // A ConfigMap's files come from both: a name in each is two files under one name.
    if (meta.kind === 'ConfigMap' && isJsonObject(object.data) && isJsonObject(object.binaryData)) {
      const binary = object.binaryData;
      problems.push(...Object.keys(object.data).filter((key) => Object.hasOwn(binary, key)).map((key) => `data and binaryData both hold the key ${quoted(key)}`));
    }
  }
  return problems;
}

/** A name part: at most 63 characters, alphanumeric at both ends, `-`, `_`, `.` within. */
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A DNS-1123 subdomain: lowercase labels joined by dots. */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Annotations in all, keys and values: the API server's 256 KiB, less 1 KiB for those Slipway
 * adds to what it applies (`slipway.io/data-digest` and the like), which would tip a config
 * written at the limit over it at every push.
 */
export const ANNOTATIONS_MOST_BYTES = 256 * 1024 - 1024;

function metadataProblems(where: string, metadata: JsonValue | undefined): string[] {
  if (!isJsonObject(metadata)) return [];
  return [
    ...(isJsonObject(metadata.labels) ? labelProblems(`${where}.labels`, metadata.labels) : []),
    ...(isJsonObject(metadata.annotations) ? annotationProblems(`${where}.annotations`, metadata.annotations) : []),
  ];
}

function valueAt(object: JsonValue, path: readonly string[]): JsonValue | undefined {
  let at: JsonValue | undefined = object;
  for (const segment of path) at = isJsonObject(at) && Object.hasOwn(at, segment) ? at[segment] : undefined;
  return at;
}

/** Why `key` is no qualified name (`[prefix/]name`), if it is not one. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a key has at most one "/"';
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !SUBDOMAIN.test(prefix)) return 'its prefix must be a DNS subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)';
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) return 'its name must be at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit';
  return undefined;
}

function labelProblems(where: string, labels: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) problems.push(`${where} key ${quoted(key)} is not a valid label key: ${keyProblem}`);
    if (typeof value === 'string' && value !== '' && (value.length > 63 || !NAME_PART.test(value))) {
      problems.push(`${where} ${quoted(key)} has no valid label value: at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit (or empty)`);
    }
  }
  return problems;
}

function annotationProblems(where: string, annotations: Record<string, unknown>): string[] {
  const problems: string[] = [];
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // The API server checks an annotation's key in lower case (unlike a label's): `Example.com/owner` is one.
    const keyProblem = qualifiedNameProblem(key.toLowerCase());
    if (keyProblem) problems.push(`${where} key ${quoted(key)} is not a valid annotation key: ${keyProblem}`);
    bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  // Said without the count: a patch that changes annotations still too many is not a new problem.
  if (bytes > ANNOTATIONS_MOST_BYTES) problems.push(`${where} hold more than ${ANNOTATIONS_MOST_BYTES} bytes (the API server's 262144, less 1024 for the annotations Slipway adds)`);
  return problems;
}

/** A ConfigMap's or Secret's data keys: file names in a volume, so no `/` and no `..` at the start. */
function dataKeyProblems(where: string, data: Record<string, unknown>): string[] {
  return Object.keys(data)
    .filter((key) => key.length > 253 || !DATA_KEY.test(key) || key === '.' || key.startsWith('..'))
    .map((key) => `${where} key ${quoted(key)} is not a valid key: at most 253 letters, digits, "-", "_" or ".", and not ".", ".." or starting with ".."`);
}

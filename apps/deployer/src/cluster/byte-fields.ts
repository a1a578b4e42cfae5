import { apiGroupOf, isApiServerBase64, withoutLineBreaks } from '@slipway/contracts';
import { isJsonMap, type JsonMap } from './match-elements';
import type { ObjectType } from './quantity-fields';

/**
 * The `[]byte` fields of the built-in kinds (`format: byte` in their OpenAPI), where each is
 * written: the API group (`''` for the core group), the kind, and the object fields from the
 * root to the value, list positions left out, `*` standing for any key of a map.
 */
const BYTE_FIELDS: readonly { group: string; kind: string; fields: readonly string[] }[] = [
  { group: '', kind: 'Secret', fields: ['data', '*'] },
  { group: '', kind: 'ConfigMap', fields: ['binaryData', '*'] },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', fields: ['webhooks', 'clientConfig', 'caBundle'] },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', fields: ['webhooks', 'clientConfig', 'caBundle'] },
  { group: 'apiregistration.k8s.io', kind: 'APIService', fields: ['spec', 'caBundle'] },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', fields: ['spec', 'conversion', 'webhook', 'clientConfig', 'caBundle'] },
  { group: 'certificates.k8s.io', kind: 'CertificateSigningRequest', fields: ['spec', 'request'] },
];

function kindsWithBytes({ apiVersion, kind }: ObjectType): typeof BYTE_FIELDS {
  if (apiVersion === undefined) return [];
  const group = apiGroupOf(apiVersion);
  return BYTE_FIELDS.filter((field) => field.kind === kind && field.group === group);
}

const samePlace = (pattern: readonly string[], fields: readonly string[]): boolean =>
  pattern.length === fields.length && pattern.every((name, i) => name === '*' || name === fields[i]);

/** Whether the value at `fields` (as quantityScale takes them) is a `[]byte` the API server decodes from base64. */
export function isByteField(type: ObjectType, fields: readonly string[]): boolean {
  return kindsWithBytes(type).some((field) => samePlace(field.fields, fields));
}


/**
 * A base64 value as the API server reads it back: it decodes what it is sent (Go's standard
 * encoding, skipping line breaks) and stores the bytes, which it encodes again without line
 * breaks, so `"aGVs\nbG8="` reads back `"aGVsbG8="`. Anything else (not base64, which the API
 * server refuses; not a string) is kept as it is, to be compared as written.
 */
export function storedBytes(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return isApiServerBase64(value) ? Buffer.from(withoutLineBreaks(value), 'base64').toString('base64') : value;
}

/**
 * The object with each of its `[]byte` values as the API server stores them (storedBytes):
 * what an applied object is compared as, and what its recorded digests are of, so that a value
 * sent with line breaks is no drift from the same bytes read back without them.
 */
export function withBytesAsStored(object: JsonMap, type: ObjectType): JsonMap {
  const places = kindsWithBytes(type).map((field) => field.fields);
  if (places.length === 0) return object;
  const walk = (value: unknown, fields: readonly string[]): unknown => {
    if (Array.isArray(value)) return value.map((element) => walk(element, fields));
    if (isJsonMap(value)) return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, [...fields, name])]));
    return places.some((place) => samePlace(place, fields)) ? storedBytes(value) : value;
  };
  return walk(object, []) as JsonMap;
}

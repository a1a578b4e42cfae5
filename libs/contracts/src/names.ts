import { z } from 'zod';

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 labels are case-insensitive; Ververica's own example name is mixed case. */
const labelAnyCase = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const labelKeyName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes namespace or any name that must be a strict DNS-1123 label. */
export const dnsLabel = z.string()
  .max(63, 'must be at most 63 characters')
  .regex(label, 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit');

/** Names of Slipway resources and namespaces (see docs/api-dialects.md for the case rule). */
export const resourceName = z.string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(labelAnyCase, 'must be an RFC 1123 label: letters, digits and "-", starting and ending with a letter or digit');

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `''`, the core group. */
export const apiGroupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** A Kubernetes label or annotation key: an optional DNS subdomain prefix and "/", then a name. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !subdomain.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && labelKeyName.test(name);
}

export const LABEL_KEY_RULE = 'an optional DNS subdomain prefix and "/" plus a name of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

/** Kubernetes label syntax, so labels can be carried onto cluster objects unchanged. */
export const labelMap = z.record(
  z.string().refine(isLabelKey, `label keys must be ${LABEL_KEY_RULE}`),
  z.string().max(63, 'label values must be at most 63 characters')
    .refine((v) => v === '' || labelKeyName.test(v), 'label values must be letters, digits, "-", "_" or ".", starting and ending with a letter or digit'),
);

/** How much a map of labels or annotations may hold, keys and values in UTF-8 bytes: Kubernetes's bound on annotations. */
const METADATA_MAP_BYTES = 256 * 1024;
const bytesOf = (map: Record<string, string>): number => Object.entries(map).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

/** The longest key Kubernetes takes: a 253-character prefix, "/", and a 63-character name. */
const LONGEST_KEY = 253 + 1 + 63;

/**
 * Annotations: values are free text, the whole bounded in bytes (256 KiB), as Kubernetes
 * bounds them. Keys are at most as long as Kubernetes lets one be; that a new key follows
 * the rule of label keys is the decider's check (isLabelKey), so that a target stored
 * before the rule can still be sent back as it was read.
 */
export const annotationMap = z.record(z.string().max(LONGEST_KEY, `annotation keys must be at most ${LONGEST_KEY} characters (${LABEL_KEY_RULE})`), z.string())
  .refine((m) => bytesOf(m) <= METADATA_MAP_BYTES, 'annotations must total at most 256 KiB');

/**
 * Labels as a command sets them: bounded in total as annotations are (each label is, not
 * their number, and every read and list carries them all). Events keep `labelMap`: a target
 * recorded before the bound is read back as it was.
 */
export const boundedLabelMap = labelMap.refine((m) => bytesOf(m) <= METADATA_MAP_BYTES, 'labels must total at most 256 KiB');

/**
 * A whole number read from text (a query parameter, a path segment): decimal digits only —
 * not `0x7`, `1e3` or ` 7`, which JavaScript's Number() reads as numbers and which would
 * then name another sequence than the one written. One that is not a number at all is
 * refused in those words, not zod's "expected number, received NaN"; one out of its range
 * says the range's bound (the schema's message would cover those too).
 */
export const wholeNumber = ({ min, max }: { min?: number; max?: number } = {}) => {
  let number = z.number({ error: wholeNumberRefusal });
  // The range first, so that its bound is what is said of a number past it.
  if (min !== undefined) number = number.min(min);
  if (max !== undefined) number = number.max(max);
  // A whole number past JavaScript's safe range is still one: said as out of range.
  number = number.int({ error: (issue) => (issue.code === 'too_big' ? `must be at most ${String(issue.maximum)}` : 'must be a whole number') });
  // More digits than any safe number has (leading zeros are none): past the range, not "no number" (nor Infinity).
  // A negative one, where there is a least: below it, said so (`-0` is none: it would pass as 0).
  const read = (text: string) => (min !== undefined && /^-0*[1-9]\d*$/.test(text) ? Math.max(Number(text), -Number.MAX_SAFE_INTEGER * 2)
    : !/^\d+$/.test(text) ? Number.NaN : text.replace(/^0+(?=\d)/, '').length > 16 ? Number.MAX_SAFE_INTEGER * 2 : Number(text));
  return z.preprocess((value) => (typeof value !== 'string' ? value : read(value)), number);
};

/** zod types a schema's message for the schema's own issue (not a number), yet asks it for its checks' issues (the range) too. */
function wholeNumberRefusal(issue: { code: string }): string {
  const { code, maximum, minimum } = issue as { code: string; maximum?: unknown; minimum?: unknown };
  if (code === 'too_big') return `must be at most ${String(maximum)}`;
  if (code === 'too_small') return `must be at least ${String(minimum)}`;
  return 'must be a whole number';
}

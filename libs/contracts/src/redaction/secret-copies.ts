import { REDACTED } from './redacted';
import { redactedWithSecretSpans, secretSpans } from './redact-text';
import { occurrenceSpans, replacingSpans, type Span } from './spans';
import { patternSpans } from './text-patterns';
import { URL_PASSWORD_SHAPE } from './url-credentials';

/** A value shorter than this turns up in any text by chance: its copies are not looked for. */
export const LEAST_COPIED = 4;

/** A secret as a text holds it, without the quotes a YAML or JSON string wears. */
function unquoted(value: string): string {
  const quote = value[0];
  return value.length >= 2 && (quote === '"' || quote === "'") && value.endsWith(quote) ? value.slice(1, -1) : value;
}

/**
 * Where a text repeats values kept secret elsewhere (a patch's password written again in its
 * description): each occurrence apart from the spans to leave (`outside`), the longest value
 * first where two start at one place, none overlapping.
 */
export function copySpans(text: string, secrets: Iterable<string>, outside: readonly Span[] = []): Span[] {
  return occurrenceSpans(text, [...secrets].map(unquoted).filter((secret) => secret.length >= LEAST_COPIED), outside);
}

/** Where config text holds what the rules keep secret: by its structure, and by the shape of the text (secretSpans; the patterns alone where it holds no collection). */
export function keptSecretSpans(text: string, inSecret: boolean): Span[] {
  return secretSpans(text, inSecret) ?? patternSpans(text);
}

/**
 * The values a config text keeps secret, by the rules the redaction and the sealing follow;
 * of a URL kept whole, its password too (what a writer repeats).
 */
export function secretValuesIn(text: string, inSecret: boolean): string[] {
  return valuesAt(text, keptSecretSpans(text, inSecret));
}

const valuesAt = (text: string, spans: readonly Span[]): string[] => spans.flatMap(({ start, end }) => repeatablePartsOf(text.slice(start, end).trimEnd()));

/**
 * A config text as a reader sees it (redactSecretText) and the values it keeps secret
 * (secretValuesIn), the text parsed once for both.
 */
export function redactedWithSecretValues(text: string, inSecret: boolean): { redacted: string; values: string[] } {
  const { redacted, spans } = redactedWithSecretSpans(text, inSecret);
  return { redacted, values: valuesAt(text, spans ?? patternSpans(text)) };
}

/** A secret value and, of one that holds URLs, their passwords: the parts of it a writer may repeat elsewhere. */
export function repeatablePartsOf(value: string): string[] {
  return [value, ...[...value.matchAll(new RegExp(URL_PASSWORD_SHAPE.source, URL_PASSWORD_SHAPE.flags))].map((m) => m[2]!)];
}

/** A stored patch, as far as telling what its text keeps secret goes. */
export interface PatchText { format: string; kind: string | null; patch: string }

/** A patch whose text is config (YAML or JSON), not a namespace or a registry rewrite's. */
export const isConfigPatch = (patch: Pick<PatchText, 'format'>): boolean => patch.format === 'YAML' || patch.format === 'JSON';

/** Whether a patch's text is read as a Secret's: one that says so, or one naming no kind (it may target one; sealing reads it so). */
export const mayPatchSecret = (patch: Pick<PatchText, 'kind'>): boolean => patch.kind === 'Secret' || patch.kind === null;

/** The values a command's patches keep secret: what its description (one for all of them) must not repeat to a reader. */
export function patchSecretValues(patches: readonly PatchText[]): Set<string> {
  return new Set(patches.flatMap((p) => (isConfigPatch(p) ? secretValuesIn(p.patch, mayPatchSecret(p)) : [])));
}

/** Text with its copies of `secrets` `[redacted]`, for a reader who does not see those values. */
export function redactCopies(text: string, secrets: Iterable<string>): string {
  return replacingSpans(text, copySpans(text, secrets), () => REDACTED);
}

/**
 * Kubernetes resource quantities (k8s.io/apimachinery `resource.Quantity`), read the way
 * the API server reads them, so two spellings it stores as the same value compare equal:
 * `1000m` and `1`, `0.5` and `500m`, `1Gi` and `1024Mi`, `1e3` and `1k`.
 *
 * The value is exact: `coefficient × 10^exponent` with a bigint coefficient that is not a
 * multiple of ten (zero is `0 × 10^0`), so equal values have equal representations.
 */
export interface QuantityValue {
  readonly coefficient: bigint;
  readonly exponent: number;
}

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** `apimachinery`'s suffix tables: decimal SI powers of ten, binary SI powers of two. */
const DECIMAL_SI: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * The layout `parseQuantityString` accepts: a sign, digits with an optional fraction (either
 * side may be empty, so `5.`, `.5`, `-` and even `Mi` are read as numbers, as Go does), then
 * suffix letters, an optional sign and digits. Which suffixes mean something is decided below.
 */
const LAYOUT = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[+-]?[0-9]*)$/;
const INT32_LIMIT = 2 ** 31;
const INT64_MAX = (1n << 63n) - 1n;
/** `ParseQuantity` keeps nano precision: a non-zero value below it is rounded up to it. */
export const NANO = -9;
/** ResourceList entries are rounded up to milli by the core/v1 defaults (`SetDefaults_ResourceList`). */
export const MILLI = -3;

/** The quantity `text` spells, or `undefined` when Kubernetes would reject it. */
export function parseQuantity(text: string): QuantityValue | undefined {
  const match = LAYOUT.exec(text);
  if (!match || text === '') return undefined;
  const [, sign, whole, fraction = '', suffixText] = match;
  const suffix = interpretSuffix(suffixText);
  if (!suffix) return undefined;
  let coefficient = BigInt((whole === '' ? '0' : whole) + fraction);
  let exponent = 0 - fraction.length; // not `-length`, which makes -0
  if (suffix.format === 'BinarySI') coefficient <<= BigInt(suffix.power);
  else exponent += suffix.power;
  let value = roundUp(normalize(coefficient, exponent), NANO);
  // Only binary SI values are capped (at the int64 maximum); decimal ones may be any size.
  if (suffix.format === 'BinarySI' && exceedsInt64(value)) value = normalize(INT64_MAX, 0);
  return sign === '-' ? negate(value) : value;
}

/**
 * A JSON value as Kubernetes decodes it into a Quantity: a JSON number read from its
 * text, or a string. `Quantity.UnmarshalJSON` trims white space (`strings.TrimSpace`) from
 * the raw JSON text, where control characters such as a newline are still escapes
 * (`\n`), so only the white space JSON leaves as it is is trimmed: `" 1"` is 1, `"1\n"` none.
 */
export function quantityOf(value: unknown): QuantityValue | undefined {
  if (typeof value === 'string') return parseQuantity(trimRawJsonSpace(value));
  if (typeof value === 'number' && Number.isFinite(value)) return parseQuantity(String(value));
  return undefined;
}

/**
 * Whether two JSON values are quantities the API server stores as one value once each is
 * rounded up (away from zero) to `scale` — `MILLI` for ResourceList entries, else `NANO`.
 * `undefined` when either is no quantity: the caller then compares them as they are.
 */
export function sameQuantity(left: unknown, right: unknown, scale = NANO): boolean | undefined {
  const [a, b] = [quantityOf(left), quantityOf(right)];
  if (!a || !b) return undefined;
  const [x, y] = [roundUp(a, scale), roundUp(b, scale)];
  return x.coefficient === y.coefficient && x.exponent === y.exponent;
}

interface Suffix { format: Format; power: number }

/** `suffixHandler.interpret`: the tables first, then `e`/`E` with a whole exponent. */
function interpretSuffix(text: string): Suffix | undefined {
  if (Object.hasOwn(DECIMAL_SI, text)) return { format: 'DecimalSI', power: DECIMAL_SI[text] };
  if (Object.hasOwn(BINARY_SI, text)) return { format: 'BinarySI', power: BINARY_SI[text] };
  if (text.length < 2 || (text[0] !== 'e' && text[0] !== 'E') || !/^[+-]?[0-9]+$/.test(text.slice(1))) return undefined;
  const power = Number(text.slice(1));
  // Go parses an int64 and then truncates it to int32; such exponents are refused here instead.
  if (!Number.isSafeInteger(power) || Math.abs(power) >= INT32_LIMIT) return undefined;
  return { format: 'DecimalExponent', power };
}

/**
 * Trailing zeros are cut from the digit string in one step: dividing the bigint by ten once
 * per zero costs time quadratic in its length, and a quantity may be any number of digits.
 */
function normalize(coefficient: bigint, exponent: number): QuantityValue {
  if (coefficient === 0n) return { coefficient: 0n, exponent: 0 };
  const digits = coefficient.toString();
  const kept = digits.replace(/0+$/, '');
  return { coefficient: BigInt(kept), exponent: exponent + (digits.length - kept.length) };
}

/** `Quantity.RoundUp(scale)`: to a multiple of 10^scale, away from zero. */
function roundUp(value: QuantityValue, scale: number): QuantityValue {
  if (value.exponent >= scale) return value;
  const sign = value.coefficient < 0n ? -1n : 1n;
  const magnitude = value.coefficient * sign;
  const dropped = scale - value.exponent;
  // More dropped digits than the coefficient has: the value is below one unit of the scale.
  if (dropped > magnitude.toString().length) return { coefficient: sign, exponent: scale };
  const divisor = 10n ** BigInt(dropped);
  return normalize(sign * ((magnitude + divisor - 1n) / divisor), scale);
}

function exceedsInt64({ coefficient, exponent }: QuantityValue): boolean {
  if (exponent > 19) return true;
  return exponent >= 0 ? coefficient * 10n ** BigInt(exponent) > INT64_MAX : coefficient > INT64_MAX * 10n ** BigInt(-exponent);
}

function negate(value: QuantityValue): QuantityValue {
  return { coefficient: -value.coefficient, exponent: value.exponent };
}

/** `strings.TrimSpace` on raw JSON text: the Unicode spaces a JSON encoder does not escape. */
function trimRawJsonSpace(text: string): string {
  return text.replace(/^[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+|[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+$/g, '');
}

import { elementPositions } from '@slipway/contracts';
import { fieldSchema, rootType, type FieldSchema, type TypeName } from '@slipway/materializer';
import { withBytesAsStored } from './byte-fields';
import { isDefaultedEmpty } from './defaulted-empties';
import { isDroppedZero } from './dropped-zeros';
import { isJsonMap, matchElements, type JsonMap } from './match-elements';
import { quantityScale, type ObjectType } from './quantity-fields';
import { sameQuantity } from './quantity';
import { fieldKey, indexKey, keyedKey, setKey } from './row-key';
import { isDigest, type Digest } from './secret-digests';
import { asStored, HIDDEN, HIDDEN_DIFFERENT, hideSecretValues, hideValues, isSecret, isSecretField } from './secret-drift';

export interface DiffRow { key: string; expected: string; got: string }

export const MISSING = '<missing>';

const show = (value: unknown): string => (value === undefined ? MISSING : typeof value === 'string' ? value : JSON.stringify(value));
const row = (key: string, expected: unknown, got: unknown): DiffRow => ({ key, expected: show(expected), got: show(got) });
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const absent = (value: unknown): boolean => value === undefined || value === null;
/** `[]` or `{}`: a field the API server leaves out when empty (`omitempty`), so it reads back absent. */
const empty = (value: unknown): boolean => (Array.isArray(value) ? value.length === 0 : isJsonMap(value) && Object.keys(value).length === 0);

/** The maps of strings whose entries a null sets to "" (labels, a ConfigMap's or Secret's data, selectors). */
const STRING_MAPS = new Set(['labels', 'annotations', 'data', 'stringData', 'binaryData', 'nodeSelector', 'matchLabels', 'selector']);

/** Where a value sits: its row key, the object fields leading to it, and its schema type. */
interface Place {
  readonly key: string;
  readonly fields: readonly string[];
  readonly type: TypeName | undefined;
}

/**
 * Where the live object differs from the applied one, as `kubectl diff` or Argo CD would
 * judge it. Only what Slipway applied is compared: fields the server or controllers add
 * (defaults, status) are not drift. Keyed lists (containers by name, ports by port and
 * protocol, volume mounts by path — the built-in kinds' merge keys) are matched by key, so
 * a reordered list or an element another party added is no drift; atomic lists are
 * compared by position. Quantities of built-in kinds compare by the value the API server
 * stores (`1000m` is `1`), every other scalar by type and value (the API server does not
 * turn `"80"` into `80`: it refuses a value of the wrong type). Row keys are written in the
 * notation `row-key.ts` describes. An applied empty list or map (`args: []`, `annotations: {}`)
 * that the live object leaves out is no drift: the API server does not store it, and
 * `kubectl diff` does not report it either. So is an applied zero (`""`, `false`, `0`) of a
 * built-in kind's field listed as one the API server drops at its zero (Go plain values with
 * `omitempty`: `workingDir: ""`, `hostNetwork: false`, an env entry's `value: ""`; never a
 * pointer, whose zero is kept: dropped-zeros.ts); a live value present and different is
 * still drift. An applied `""` that the API server replaces with its default
 * (`imagePullPolicy`, a port's `protocol`, `restartPolicy`: defaulted-empties.ts) is no drift
 * where the live value is that default. A `[]byte` value (a Secret's `data`, a ConfigMap's `binaryData`, a
 * `caBundle`: byte-fields.ts) is compared as the bytes its base64 decodes to, so line breaks
 * in it are no drift. A Secret's `stringData` is compared as the base64 `data` it becomes,
 * and rows about its values say only that they differ. A value recorded as a digest (a
 * secret, see secret-digests.ts) is compared by `digest`; a `[]byte` one is recorded as
 * the digest of its value as the API server stores it.
 */
export function diffRows(expected: unknown, live: unknown, digest?: Digest): DiffRow[] {
  const meta = isJsonMap(expected) ? { apiVersion: text(expected.apiVersion), kind: text(expected.kind) } : {};
  // A Secret is compared as the API server stores it, and its values are never shown.
  const secret = isSecret(meta) && isJsonMap(expected);
  const stored = secret ? asStored(expected) : expected;
  // Base64 sent with line breaks reads back without them: the bytes are what is compared.
  const applied = isJsonMap(stored) ? withBytesAsStored(stored, meta) : stored;
  const rows = new Differ(meta, digest).value(applied, live, { key: '', fields: [], type: rootType(meta) }, undefined);
  return rows.map((r) => (isSecretField(r.key) ? hideValues(r, MISSING) : secret ? hideSecretValues(r, MISSING) : r));
}

class Differ {
  constructor(private readonly objectType: ObjectType, private readonly digest: Digest | undefined) {}

  value(expected: unknown, live: unknown, place: Place, schema: FieldSchema | undefined): DiffRow[] {
    // A secret recorded as its digest (secret-digests.ts): the live value's digest must match, and neither is shown.
    if (isDigest(expected) && this.digest) return this.digest(live) === expected ? [] : [{ key: place.key, expected: HIDDEN, got: live === undefined ? MISSING : HIDDEN_DIFFERENT }];
    if (isJsonMap(expected)) return isJsonMap(live) ? this.object(expected, live, place) : [row(place.key, expected, live)];
    if (Array.isArray(expected)) return Array.isArray(live) ? this.list(expected, live, place, schema) : [row(place.key, expected, live)];
    // A field applied as null is one the apply leaves unset (server-side apply owns no null), so
    // whatever it reads back, its default (`revisionHistoryLimit: 10`, a port's `TCP`), is not
    // Slipway's to compare (probe: drift for good). An entry of a map of strings (a label, a
    // ConfigMap's key) is set, to "" (the API server decodes null so): another value is drift.
    // (A struct under such a name, a LabelSelector's `matchLabels`, reads back no string.)
    if (expected === null) return STRING_MAPS.has(place.fields.at(-2) ?? '') && typeof live === 'string' && live !== '' ? [row(place.key, null, live)] : [];
    return this.sameScalar(expected, live, place) ? [] : [row(place.key, expected, live)];
  }

  private object(expected: JsonMap, live: JsonMap, place: Place): DiffRow[] {
    return Object.entries(expected).flatMap(([name, value]) => {
      const got = Object.hasOwn(live, name) ? live[name] : undefined;
      const fields = [...place.fields, name];
      if ((empty(value) || isDroppedZero(this.objectType, fields, value)) && absent(got)) return [];
      if (isDefaultedEmpty(this.objectType, fields, value, got, expected)) return [];
      const schema = fieldSchema(place.type, name);
      const child = { key: fieldKey(place.key, name), fields, type: schema?.type };
      return this.value(value, got, child, schema);
    });
  }

  /** `merge` undefined: an atomic list; empty: a set of scalars; else the merge keys (with the defaults of those the API server defaults). */
  private list(expected: unknown[], live: unknown[], place: Place, schema: FieldSchema | undefined): DiffRow[] {
    const merge = schema?.merge;
    if (merge === undefined) return this.byPosition(expected, live, place);
    if (merge.length === 0) return this.asSet(expected, live, place);
    const keyed = expected.every((element) => isJsonMap(element) && element[merge[0]] !== undefined && element[merge[0]] !== null);
    return keyed ? this.byKey(expected as JsonMap[], live, place, merge, schema?.keyDefaults) : this.byPosition(expected, live, place);
  }

  private byKey(expected: JsonMap[], live: unknown[], place: Place, keys: readonly string[], defaults?: Readonly<Record<string, string>>): DiffRow[] {
    // A list under a secret's key (imagePullSecrets, a ServiceAccount's secrets) is recorded with its merge keys as digests.
    const digest = this.digest;
    const same = (mine: unknown, theirs: unknown) => mine === theirs || (digest !== undefined && isDigest(mine) && theirs !== undefined && digest(theirs) === mine);
    const matches = matchElements(expected, live, keys, defaults, same);
    return expected.flatMap((element, index) => {
      const key = keyedKey(place.key, element, keys);
      const match = matches[index];
      return match ? this.value(element, match, { ...place, key }, undefined) : [row(key, element, undefined)];
    });
  }

  /**
   * An atomic list is owned whole: an element added after the applied ones is drift too. A
   * value that follows a flag naming a secret, on either side (`--token` added by `kubectl
   * edit`), is shown as a secret's: that it differs (the applied one is recorded as a digest
   * already, secret-digests.ts; the live one's flag may stand in another row, or in none).
   */
  private byPosition(expected: unknown[], live: unknown[], place: Place): DiffRow[] {
    const [applied, found] = [elementPositions(expected), elementPositions(live)];
    const hidden = (index: number, rows: DiffRow[]) => (applied[index] === 'secret' || found[index] === 'secret' ? rows.map((r) => hideValues(r, MISSING)) : rows);
    const rows = expected.flatMap((element, index) => hidden(index, this.value(element, live[index], { ...place, key: indexKey(place.key, index) }, undefined)));
    const extra = live.slice(expected.length).flatMap((element, offset) => hidden(expected.length + offset, [row(indexKey(place.key, expected.length + offset), undefined, element)]));
    return [...rows, ...extra];
  }

  /** Set lists (finalizers): each applied value must be there; others' values are theirs. */
  private asSet(expected: unknown[], live: unknown[], place: Place): DiffRow[] {
    const present = new Set(live.map((element) => JSON.stringify(element)));
    return expected.filter((element) => !present.has(JSON.stringify(element))).map((element) => row(setKey(place.key, element), element, undefined));
  }

  private sameScalar(expected: unknown, live: unknown, place: Place): boolean {
    if (expected === live) return true;
    const scale = quantityScale(this.objectType, place.fields);
    return scale !== undefined && sameQuantity(expected, live, scale) === true;
  }
}

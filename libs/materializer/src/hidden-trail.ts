import { randomUUID } from 'node:crypto';
import { _areEquals, applyOperation, type Operation } from 'fast-json-patch';
import { REDACTED } from '@slipway/contracts';
import { MaterializerError } from './errors';
import { deepClone, isJsonObject, type JsonValue } from './json';
import { valueAt } from './json-pointer';

/**
 * What readers saw hidden stays hidden wherever a patch leaves it. A change that moves
 * nothing can uncover one by changing what surrounds it: an env entry renamed from
 * DB_PASSWORD to SHOWN left its value in place, for every reader to see; so could a rename
 * of a copy of that entry (a copy reads hidden where it lands, until the next operation), a
 * Secret made a ConfigMap, or an argument whose flag was deleted before it.
 * Each hidden value is followed through the patch, not compared by value (which would tell
 * a patch's writer whether a value it wrote equals a secret): the patch is applied in step
 * to the document with every hidden value replaced by a marker of its own; a `test` of
 * anything holding a marker, or of a place below one (a character of a secret), is refused
 * before it runs (its failure would confirm a guess, or tell the secret's length),
 * and wherever a marker ends up, readers must not see the value it stands for.
 */
export class HiddenTrail {
  private constructor(
    private marked: JsonValue, private readonly sources: Map<string, string>, private readonly original: JsonValue,
    private readonly seenBefore: JsonValue, private readonly redact: (document: JsonValue) => JsonValue,
    /** Where readers see a value hidden (a leaf, or a map or list hidden whole). */
    private readonly hiddenAt: readonly string[],
  ) {}

  /** The trail of a document's hidden values; none when readers see it whole. */
  static of(document: JsonValue, redact: (document: JsonValue) => JsonValue): HiddenTrail | undefined {
    const hidden: string[] = [];
    const seen = redact(document);
    collectHidden(document, seen, '', hidden);
    if (hidden.length === 0) return undefined;
    const sources = new Map<string, string>();
    let marked = deepClone(document);
    for (const pointer of hidden) marked = withMarkers(marked, pointer, sources);
    return new HiddenTrail(marked, sources, document, seen, redact, hidden);
  }

  /** Before the operation runs on the document: the same on the marked one (it applies alike: nothing but a test reads values). */
  follow(operation: Operation, index: number): void {
    if (operation?.op === 'test' && (this.holdsMarker(valueAt(this.marked, operation.path) as JsonValue) || this.throughMarker(operation.path))) {
      throw new MaterializerError('secret-value-exposed', `JSON patch operation ${index} tests a value readers see hidden, at "${operation.path}"`, operation.path, index);
    }
    // A clone: applied to the document, the operation's value becomes part of it, and later operations may change it.
    const copy = deepClone(operation as unknown as JsonValue) as unknown as Operation;
    try {
      this.marked = applyOperation(this.marked, copy, false, true, true).newDocument;
    } catch {
      // It fails on the document too, and is refused there for what it is.
    }
  }

  /**
   * A patch applied whole (a strategic merge), `after` what it made of the document. Applied
   * to the marked document too, it must give the same but for the markers; where it does not,
   * it matched a hidden value (a merge key, a value to delete from a list or to order it by),
   * and readers must see the two alike: else the patch would tell what it matched, or show a
   * value a marker did not follow. Then `refuseUncovered`, on what the marked one gave.
   */
  followWhole(apply: (document: JsonValue) => JsonValue | null, after: JsonValue, what: string): void {
    let marked: JsonValue | null;
    try {
      marked = apply(this.marked);
    } catch {
      // It fitted the hidden value, and would not a marker: refused as one failing there is.
      throw notFittingHidden(what);
    }
    if (marked === null) return;
    const unmarked = this.unmarked(marked);
    const faithful = _areEquals(unmarked, after);
    if (!faithful && !_areEquals(this.redact(unmarked), this.redact(after))) {
      throw new MaterializerError('secret-value-exposed', `the ${what} matches a value readers see hidden (a list element by its merge key, a value to delete or to order by): it would tell what it matched; change that list whole instead`, '');
    }
    this.marked = marked;
    // `after` itself where the two agree: its readers' view may be remembered for the next patch.
    this.refuseUncovered(faithful ? after : unmarked, what);
  }

  /**
   * Whether a patch that failed on the document (`failure`) fails alike on the marked one: where
   * it does not, its failure tells something of a hidden value (a `$patch` directive aimed at
   * one says whether it is a number, a string or a map).
   */
  failsAlike(apply: (document: JsonValue) => unknown, failure: unknown): boolean {
    // A failure at a hidden value, or inside one, says something of it whatever the marked one says.
    const at = failure instanceof MaterializerError ? failure.path : undefined;
    if (at !== undefined && this.hiddenAt.some((hidden) => hidden === at || at.startsWith(`${hidden}/`))) return false;
    try {
      apply(this.marked);
    } catch (error) {
      return error instanceof MaterializerError && failure instanceof MaterializerError && error.code === failure.code && error.message === failure.message;
    }
    return false;
  }

  /**
   * Wherever a marker ended up, readers of the patched document must see no more of the value
   * it stands for than they saw at its source: hidden whole there, or as they saw it before (a
   * URL shown but for its password is not shown so at a place that hid it whole: its user,
   * host and database were hidden too).
   */
  refuseUncovered(after: JsonValue, what = 'JSON patch'): void {
    const seenAfter = this.redact(after);
    forEachLeaf(this.marked, '', (pointer, leaf) => {
      const source = typeof leaf === 'string' ? this.sources.get(leaf) : undefined;
      if (source === undefined || hiddenWholeAt(seenAfter, pointer) || _areEquals(valueAt(seenAfter, pointer), valueAt(this.seenBefore, source))) return;
      const where = source === pointer ? `the value at "${pointer}"` : `at "${pointer}" the value it took from "${source}"`;
      throw new MaterializerError('secret-value-exposed', `the ${what} would show readers ${where}, which they see hidden: it changes what hides it (an env entry's name, a key, a flag before it, the kind)`, pointer);
    });
  }

  /** The marked document with each marker replaced by the value it stands for. */
  private unmarked(value: JsonValue): JsonValue {
    if (Array.isArray(value)) return value.map((member) => this.unmarked(member));
    if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, this.unmarked(member)]));
    const source = typeof value === 'string' ? this.sources.get(value) : undefined;
    return source === undefined ? value : valueAt(this.original, source) as JsonValue;
  }

  /** Whether a pointer runs below a hidden value (into a secret string: a test there would tell its length, or a character). */
  private throughMarker(pointer: unknown): boolean {
    if (typeof pointer !== 'string') return false;
    const segments = pointer.split('/');
    for (let end = 1; end < segments.length; end++) {
      const above = valueAt(this.marked, segments.slice(0, end).join('/'));
      if (typeof above === 'string' && this.sources.has(above)) return true;
    }
    return false;
  }

  private holdsMarker(value: JsonValue | undefined): boolean {
    let found = false;
    if (value !== undefined) forEachLeaf(value, '', (_pointer, leaf) => { found ||= typeof leaf === 'string' && this.sources.has(leaf); });
    return found;
  }
}

/** The refusal of a patch failing at a hidden value, which says nothing of how. */
export function notFittingHidden(what: string): MaterializerError {
  return new MaterializerError('secret-value-exposed', `the ${what} does not fit a value readers see hidden, and saying how would tell what it is: change that value whole instead`, '');
}

/** Whether readers see the value at `pointer`, or a map or list holding it, as REDACTED whole. */
function hiddenWholeAt(seen: JsonValue, pointer: string): boolean {
  const segments = pointer.split('/');
  for (let end = 1; end <= segments.length; end++) {
    if (valueAt(seen, segments.slice(0, end).join('/')) === REDACTED) return true;
  }
  return false;
}

/** The document with each leaf under `pointer` replaced by a marker of its own, kept with its pointer. */
function withMarkers(document: JsonValue, pointer: string, sources: Map<string, string>): JsonValue {
  const replace = (value: JsonValue, at: string): JsonValue => {
    if (Array.isArray(value)) return value.map((member, i) => replace(member, `${at}/${i}`));
    if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, replace(member, `${at}/${escapePointer(key)}`)]));
    const marker = `\u0000hidden:${randomUUID()}`;
    sources.set(marker, at);
    return marker;
  };
  const value = valueAt(document, pointer) as JsonValue;
  if (pointer === '') return replace(value, '');
  return applyOperation(document, { op: 'replace', path: pointer, value: replace(value, pointer) }, false, true, true).newDocument;
}

function forEachLeaf(value: JsonValue, pointer: string, visit: (pointer: string, leaf: JsonValue) => void): void {
  if (Array.isArray(value)) value.forEach((member, i) => forEachLeaf(member, `${pointer}/${i}`, visit));
  else if (isJsonObject(value)) for (const [key, member] of Object.entries(value)) forEachLeaf(member, `${pointer}/${escapePointer(key)}`, visit);
  else visit(pointer, value);
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The places (pointers) where the readers' view differs from the value. */
function collectHidden(value: JsonValue, seen: JsonValue, pointer: string, out: string[]): void {
  if (_areEquals(value, seen)) return;
  const bothLists = Array.isArray(value) && Array.isArray(seen) && value.length === seen.length;
  const bothMaps = isJsonObject(value) && isJsonObject(seen);
  if (!bothLists && !bothMaps) {
    out.push(pointer);
    return;
  }
  for (const [key, member] of Object.entries(value as Record<string, JsonValue>)) {
    collectHidden(member, (seen as Record<string, JsonValue>)[key] as JsonValue, `${pointer}/${escapePointer(key)}`, out);
  }
}

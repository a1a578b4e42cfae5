import type { Operation } from 'fast-json-patch';
import { MaterializerError } from './errors';
import { isJsonObject, MAX_NESTING, nestsDeeperThan, type JsonValue } from './json';
import { placeFor, pointerTokens, resolvePointer, valueAt } from './json-pointer';
import { unsafeSegments } from './safe-keys';

// What a JSON patch's operation must be before it is applied (json-patch.ts): its shape, and
// where it reads and writes in the document.

/**
 * RFC 6902 4: what `remove`, `replace` and `test` act on, and a move's or copy's `from`, must
 * exist; `add` (and a move's or copy's destination) needs a list or map to put the value in.
 * Judged by the document's own members, as json-pointer.ts says why; the library would take
 * `toString` for a member, and `01` for an index.
 */
export function refuseUnresolved(document: JsonValue, operation: Operation, index: number): void {
  const { op, path } = operation;
  const from = (operation as { from?: unknown }).from;
  if (typeof path !== 'string') return; // the validator reports the shape
  const refuse = (problem: string): never => {
    throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} (${path}): ${problem}`, path, index);
  };
  if ((op === 'move' || op === 'copy') && typeof from === 'string') {
    const source = resolvePointer(document, from);
    if ('why' in source) refuse(`${op} needs a value at "${from}": ${source.why}`);
  }
  if (op === 'remove' || op === 'replace' || op === 'test') {
    const target = resolvePointer(document, path);
    if ('why' in target) refuse(`${op} needs a value at "${path}": ${target.why}`);
  } else {
    const place = placeFor(document, path);
    if (place) refuse(`${op} cannot put a value at "${path}": ${place.why}`);
  }
}

/**
 * Parsing keeps what a patch holds to MAX_NESTING levels, but each operation may put its value
 * at the leaf of the last one's: forty adds made thousands of levels, and printing the object
 * overflowed the stack. What an operation puts is counted from where it lands.
 */
export function refuseTooDeep(document: JsonValue, operation: Operation, index: number): void {
  const { op, path } = operation;
  const placed = op === 'add' || op === 'replace' ? operation.value : op === 'move' || op === 'copy' ? valueAt(document, operation.from) : undefined;
  if (placed === undefined || !nestsDeeperThan(placed, MAX_NESTING - pointerTokens(path).length)) return;
  throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} (${path}): the object would nest lists and maps deeper than ${MAX_NESTING} levels`, path, index);
}

/** RFC 6902 4's operations, and no other. */
export const RFC_6902_OPS: readonly string[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/**
 * fast-json-patch also takes `_get`, an operation of its own that reads a value (into the
 * operation), and looks an op up as a member of its table, so `["_get"]` reads as `_get`.
 */
export function refuseUnknownOps(operation: unknown, index: number): void {
  if (!isJsonObject(operation as JsonValue)) return; // the validator reports the shape
  const { op, path } = operation as { op?: unknown; path?: unknown };
  if (RFC_6902_OPS.includes(op as string)) return;
  const pointer = typeof path === 'string' ? path : '';
  const said = op === undefined ? 'has no op' : `op ${JSON.stringify(op)} is not one of RFC 6902's`;
  throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} (${pointer}): ${said} (${RFC_6902_OPS.join(', ')})`, pointer, index);
}

/** RFC 6902 4.4: a location cannot be moved into one of its children. */
export function refuseMoveIntoItself(operation: unknown, index: number): void {
  if (!isJsonObject(operation as JsonValue)) return;
  const { op, from, path } = operation as { op?: unknown; from?: unknown; path?: unknown };
  if (op === 'move' && typeof from === 'string' && typeof path === 'string' && path.startsWith(`${from}/`)) {
    throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} moves "${from}" into its own member "${path}"`, path, index);
  }
}

/**
 * RFC 6901 3: `~` is only ever `~0` or `~1`. Taken as it came (the library's reading),
 * `/data/~2` made a key the API server refuses, failing every later push of the object. A
 * patch being written is refused for it; one stored before is read as it was.
 */
export function refuseLoneTildes(operation: unknown, index: number): void {
  if (!isJsonObject(operation as JsonValue)) return;
  for (const field of ['path', 'from'] as const) {
    const pointer = (operation as Record<string, unknown>)[field];
    if (typeof pointer === 'string' && /~(?![01])/.test(pointer)) {
      throw new MaterializerError('json-patch-invalid',
        `JSON patch operation ${index} ${field} "${pointer}" has "~" not followed by 0 or 1 (RFC 6901: "~0" is "~", "~1" is "/")`, pointer, index);
    }
  }
}

export function refuseUnsafePaths(operation: unknown, index: number): void {
  if (!isJsonObject(operation as JsonValue)) return; // the validator reports the shape
  for (const field of ['path', 'from'] as const) {
    const pointer = (operation as Record<string, unknown>)[field];
    if (typeof pointer !== 'string') continue;
    const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const unsafe = segments.find((segment) => unsafeSegments.includes(segment));
    if (unsafe !== undefined) {
      throw new MaterializerError('unsafe-key',
        `JSON patch operation ${index} ${field} "${pointer}" goes through "${unsafe}"`, pointer, index);
    }
  }
}

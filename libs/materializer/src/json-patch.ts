import { _areEquals, applyOperation, JsonPatchError, type Operation } from 'fast-json-patch';
import { MaterializerError } from './errors';
import { deepClone, type JsonValue } from './json';
import { HiddenTrail } from './hidden-trail';
import { refuseLoneTildes, refuseMoveIntoItself, refuseTooDeep, refuseUnknownOps, refuseUnresolved, refuseUnsafePaths } from './json-patch-operations';
import { valueAt } from './json-pointer';

export type JsonPatchOperation = Operation;

/**
 * RFC 6902 JSON patch through fast-json-patch, with every operation validated first.
 * Paths (and `from`) through `__proto__`, `constructor` or `prototype` are refused
 * before anything is applied. Neither the document nor the operations are mutated.
 * With `redact` (the document as readers without admin see it: a Secret's data, values named
 * like secrets), a `copy` or `move` of a value readers see hidden to where they would see
 * it, and a `test` of one, are refused. `redactWhole`, where given, is that view with texts of
 * any size parsed (past a cheaper view's bound a text may hide what only its structure
 * tells): costlier, it judges `test` operations only, which would confirm a guess.
 */
export function applyJsonPatch<T extends JsonValue>(
  document: T, operations: readonly JsonPatchOperation[],
  // `unstored`: a patch being written, held to a bound stored ones were not (how many reads).
  options: { redact?: (document: JsonValue) => JsonValue; redactWhole?: (document: JsonValue) => JsonValue; unstored?: boolean } = {},
): JsonValue {
  if (!Array.isArray(operations)) {
    throw new MaterializerError('json-patch-invalid', 'a JSON patch must be a list of operations', '');
  }
  operations.forEach(refuseUnknownOps);
  operations.forEach(refuseUnsafePaths);
  if (options.unstored) operations.forEach(refuseLoneTildes);
  operations.forEach(refuseMoveIntoItself);
  refuseTooManyReads(operations, Boolean(options.redact && options.unstored));
  const ops = deepClone(operations as unknown as JsonValue) as unknown as Operation[];
  let current: JsonValue = deepClone(document);
  let size = jsonSize(current);
  const trail = options.redact && HiddenTrail.of(document, options.redact);
  // One operation at a time: fast-json-patch's validator reports every failure as index 0.
  ops.forEach((operation, index) => {
    // A copy doubles what it copies: twenty of them, a kilobyte of patch, made a config of
    // 65 MB in 25 s. What the document holds is counted as it grows, and bounded.
    if (operation?.op === 'copy') {
      size += jsonSize(valueAt(current, operation.from));
      if (size > MAX_PATCHED_SIZE) {
        throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} (${operation.path}): the object would grow past ${MAX_PATCHED_SIZE} bytes of JSON`, operation.path, index);
      }
    }
    try {
      // Before the operation: a test refused only once it passed would tell its guess right.
      trail?.follow(operation, index);
      const exposure = options.redact && hiddenExposure(current, operation, index, options.redact, options.redactWhole);
      refuseUnresolved(current, operation, index);
      refuseTooDeep(current, operation, index);
      current = applyOperation(current, operation, true, true, true, index).newDocument;
      exposure?.(current);
    } catch (error) {
      if (error instanceof MaterializerError) throw error;
      const path = String((operation as { path?: unknown } | undefined)?.path ?? '');
      // The library's own TypeError (a pointer through a value that has no members) says
      // nothing a writer of the patch could act on.
      if (!(error instanceof JsonPatchError)) throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} (${path}): cannot be applied to this document`, path, index);
      const code = error.name === 'TEST_OPERATION_FAILED' ? 'json-patch-test-failed' : 'json-patch-invalid';
      const reason = error.message.split('\n')[0];
      throw new MaterializerError(code, `JSON patch operation ${index} (${path}): ${reason}`, path, index);
    }
  });
  // Also for a stored patch: a base changed since may put a secret where it renames.
  trail?.refuseUncovered(current);
  return current;
}

/** The most JSON a patched object may hold: four times the largest config text, its YAML. */
export const MAX_PATCHED_SIZE = 4 * 1024 * 1024;
/**
 * The most copies, moves and tests one patch may make where readers' views are checked:
 * each looks at the whole document as readers see it (about a second for a config of a
 * megabyte and a half).
 */
export const MAX_CHECKED_READS = 100;

const jsonSize = (value: unknown): number => (value === undefined ? 0 : JSON.stringify(value).length);

function refuseTooManyReads(operations: readonly JsonPatchOperation[], checked: boolean): void {
  const reads = operations.filter((operation) => ['copy', 'move', 'test'].includes((operation as { op?: unknown } | undefined)?.op as string)).length;
  if (checked && reads > MAX_CHECKED_READS) {
    throw new MaterializerError('json-patch-invalid', `a JSON patch may copy, move or test at most ${MAX_CHECKED_READS} times; this one does ${reads} times`, '');
  }
}

/**
 * A value readers see hidden (its key or env name says secret, a Secret's data) stays
 * hidden wherever a patch puts it: copied or moved, it must read the same at its new place
 * as at its old one in the readers' view, and a `test` of it would confirm a guess.
 */
function hiddenExposure(
  before: JsonValue, operation: Operation, index: number, redact: (document: JsonValue) => JsonValue, redactWhole = redact,
): ((after: JsonValue) => void) | undefined {
  if (operation.op !== 'copy' && operation.op !== 'move' && operation.op !== 'test') return undefined;
  const source = operation.op === 'test' ? operation.path : operation.from;
  const seenBefore = (operation.op === 'test' ? redactWhole : redact)(before);
  if (_areEquals(valueAt(before, source), valueAt(seenBefore, source))) return undefined;
  if (operation.op === 'test') {
    throw new MaterializerError('secret-value-exposed', `JSON patch operation ${index} tests a value readers see hidden, at "${source}"`, source, index);
  }
  return (after) => {
    // `-` appends: the value is the list's last element now.
    const list = operation.path.endsWith('/-') ? valueAt(after, operation.path.slice(0, -2)) : undefined;
    const target = Array.isArray(list) ? `${operation.path.slice(0, -1)}${list.length - 1}` : operation.path;
    if (_areEquals(valueAt(redact(after), target), valueAt(seenBefore, source))) return;
    throw new MaterializerError('secret-value-exposed',
      `JSON patch operation ${index} would ${operation.op} a value readers see hidden from "${source}" to "${operation.path}", where they would see it`, operation.path, index);
  };
}

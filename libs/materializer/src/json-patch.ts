import { applyOperation, JsonPatchError, type Operation } from 'fast-json-patch';
import { MaterializerError } from './errors';
import { deepClone, isJsonObject, type JsonValue } from './json';
import { unsafeSegments } from './safe-keys';

export type JsonPatchOperation = Operation;

/**
 * RFC 6902 JSON patch through fast-json-patch, with every operation validated first.
 * Paths (and `from`) through `__proto__`, `constructor` or `prototype` are refused
 * before anything is applied. Neither the document nor the operations are mutated.
 */
export function applyJsonPatch<T extends JsonValue>(document: T, operations: readonly JsonPatchOperation[]): JsonValue {
  if (!Array.isArray(operations)) {
    throw new MaterializerError('json-patch-invalid', 'a JSON patch must be a list of operations', '');
  }
  operations.forEach(refuseUnsafePaths);
  operations.forEach(refuseMoveIntoItself);
  if (isJsonObject(document) && document.kind === 'Secret') operations.forEach(refuseSecretExposure);
  const ops = deepClone(operations as unknown as JsonValue) as unknown as Operation[];
  let current: JsonValue = deepClone(document);
  // One operation at a time: fast-json-patch's validator reports every failure as index 0.
  ops.forEach((operation, index) => {
    try {
      current = applyOperation(current, operation, true, true, true, index).newDocument;
    } catch (error) {
      const path = String((operation as { path?: unknown } | undefined)?.path ?? '');
      // The library's own TypeError (a pointer through a value that has no members) says
      // nothing a writer of the patch could act on.
      if (!(error instanceof JsonPatchError)) throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} (${path}): cannot be applied to this document`, path, index);
      const code = error.name === 'TEST_OPERATION_FAILED' ? 'json-patch-test-failed' : 'json-patch-invalid';
      const reason = error.message.split('\n')[0];
      throw new MaterializerError(code, `JSON patch operation ${index} (${path}): ${reason}`, path, index);
    }
  });
  return current;
}

const SECRET_VALUES = /^\/(data|stringData)(\/|$)/;

/**
 * A Secret's values stay in its data: readers without admin see them `[redacted]` there
 * (and only there), so a patch that copies or moves one elsewhere in the object (an
 * annotation, a label) would show it to them, and a `test` of one would confirm a guess.
 */
function refuseSecretExposure(operation: unknown, index: number): void {
  if (!isJsonObject(operation as JsonValue)) return;
  const { op, from, path } = operation as { op?: unknown; from?: unknown; path?: unknown };
  const inData = (pointer: unknown) => typeof pointer === 'string' && SECRET_VALUES.test(pointer);
  if ((op === 'copy' || op === 'move') && inData(from) && !inData(path)) {
    throw new MaterializerError('secret-value-exposed',
      `JSON patch operation ${index} would ${op} a Secret's value from "${String(from)}" to "${String(path)}", outside data and stringData`, String(path), index);
  }
  if (op === 'test' && inData(path)) {
    throw new MaterializerError('secret-value-exposed', `JSON patch operation ${index} tests a Secret's value at "${String(path)}"`, String(path), index);
  }
}

/** RFC 6902 4.4: a location cannot be moved into one of its children. */
function refuseMoveIntoItself(operation: unknown, index: number): void {
  if (!isJsonObject(operation as JsonValue)) return;
  const { op, from, path } = operation as { op?: unknown; from?: unknown; path?: unknown };
  if (op === 'move' && typeof from === 'string' && typeof path === 'string' && path.startsWith(`${from}/`)) {
    throw new MaterializerError('json-patch-invalid', `JSON patch operation ${index} moves "${from}" into its own member "${path}"`, path, index);
  }
}

function refuseUnsafePaths(operation: unknown, index: number): void {
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

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
  const ops = deepClone(operations as unknown as JsonValue) as unknown as Operation[];
  let current: JsonValue = deepClone(document);
  // One operation at a time: fast-json-patch's validator reports every failure as index 0.
  ops.forEach((operation, index) => {
    try {
      current = applyOperation(current, operation, true, true, true, index).newDocument;
    } catch (error) {
      if (!(error instanceof JsonPatchError)) throw error;
      const path = String((operation as { path?: unknown } | undefined)?.path ?? '');
      const code = error.name === 'TEST_OPERATION_FAILED' ? 'json-patch-test-failed' : 'json-patch-invalid';
      const reason = error.message.split('\n')[0];
      throw new MaterializerError(code, `JSON patch operation ${index} (${path}): ${reason}`, path, index);
    }
  });
  return current;
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

/**
 * Why a patch could not be applied. The materializer's callers map these to their own
 * refusals (an `invalid` SlipwayError with `field` = path) in one place.
 */
export type MaterializerErrorCode =
  | 'merge-key-missing' // a patch list element lacks the list's merge key
  | 'unknown-directive' // `$patch` with a value other than delete|replace|merge
  | 'directive-on-scalar' // a `$patch` map aimed at a scalar value
  | 'invalid-directive' // a directive whose value has the wrong shape
  | 'retain-keys-mismatch' // a patch field is absent from its map's `$retainKeys`
  | 'invalid-element-order' // `$setElementOrder` that does not fit its list
  | 'unsafe-key' // `__proto__`/`constructor`/`prototype` in a path or key
  | 'json-patch-invalid' // an RFC 6902 operation is malformed or its path does not resolve
  | 'secret-value-exposed' // an RFC 6902 copy/move out of a Secret's data, or a test of it
  | 'json-patch-test-failed'; // an RFC 6902 `test` operation did not hold

export class MaterializerError extends Error {
  constructor(
    readonly code: MaterializerErrorCode,
    message: string,
    /** JSON pointer (RFC 6901) to the value that failed, `''` for the whole document. */
    readonly path: string,
    /** For RFC 6902 patches: the index of the failing operation. */
    readonly opIndex?: number,
  ) {
    super(message);
    this.name = 'MaterializerError';
  }

  toJSON(): { code: MaterializerErrorCode; message: string; path: string; opIndex?: number } {
    return {
      code: this.code, message: this.message, path: this.path,
      ...(this.opIndex === undefined ? {} : { opIndex: this.opIndex }),
    };
  }
}

export function isMaterializerError(value: unknown): value is MaterializerError {
  return value instanceof MaterializerError;
}

import { MaterializerError } from './errors';

/** Segments that reach an object's prototype when used as property names. */
export const unsafeSegments: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Merges assign patch keys onto fresh objects: `__proto__` would replace the prototype.
 * `constructor`/`prototype` are harmless as own data keys and stay allowed there.
 */
export function assertSafeKey(key: string, path: string): void {
  if (key === '__proto__') {
    throw new MaterializerError('unsafe-key', `refusing key "__proto__" at ${path || '/'}`, path);
  }
}

import { isDirectiveKey, RETAIN_KEYS } from './directives';
import { MaterializerError } from './errors';
import { childPath, type JsonObject } from './json';

/**
 * `$retainKeys: [a, b]` keeps only those fields of the base map (used where a union type
 * switches member, e.g. Deployment strategy or a volume's source). Every field the patch
 * sets must be listed, as apimachinery requires.
 */
export function applyRetainKeys(result: JsonObject, patch: JsonObject, path: string): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const directivePath = childPath(path, RETAIN_KEYS);
  const retain = patch[RETAIN_KEYS];
  if (!Array.isArray(retain) || !retain.every((key) => typeof key === 'string')) {
    throw new MaterializerError('invalid-directive', `$retainKeys at ${directivePath} must be a list of field names`, directivePath);
  }
  const kept = new Set<string>(retain as string[]);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || isDirectiveKey(key) || kept.has(key)) continue;
    throw new MaterializerError('retain-keys-mismatch',
      `field "${key}" is patched at ${path || '/'} but missing from its $retainKeys list`, childPath(path, key));
  }
  for (const key of Object.keys(result)) {
    if (!kept.has(key)) delete result[key];
  }
}

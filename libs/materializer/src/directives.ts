import { MaterializerError } from './errors';
import type { JsonObject } from './json';

/** The strategic merge patch directives (kubernetes/community strategic-merge-patch.md). */
export const PATCH = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
export const SET_ELEMENT_ORDER = '$setElementOrder/';

export type PatchDirective = 'delete' | 'replace' | 'merge';

/** Marks a value a merge removed from its parent. */
export const DELETED: unique symbol = Symbol('deleted');
export type Deleted = typeof DELETED;

export function patchDirective(patch: JsonObject, path: string): PatchDirective | undefined {
  if (!Object.hasOwn(patch, PATCH)) return undefined;
  const value = patch[PATCH];
  if (value === 'delete' || value === 'replace' || value === 'merge') return value;
  throw new MaterializerError(
    'unknown-directive', `unknown $patch value ${JSON.stringify(value)} at ${path || '/'}`, path);
}

export function isDirectiveKey(key: string): boolean {
  return key === PATCH || key === RETAIN_KEYS
    || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER);
}

export function withoutPatchDirective(patch: JsonObject): JsonObject {
  const { [PATCH]: _directive, ...rest } = patch;
  return rest;
}

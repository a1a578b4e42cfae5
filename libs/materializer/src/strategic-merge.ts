import { DELETED } from './directives';
import { HiddenTrail, notFittingHidden } from './hidden-trail';
import { deepClone, type JsonObject, type JsonValue } from './json';
import { rootType, type TypeMeta } from './kinds';
import { mergeObject } from './merge-object';

/**
 * Kubernetes strategic merge patch, as the API server applies it (`$retainKeys`,
 * `$deleteFromPrimitiveList`, `$setElementOrder` and `$patch` on list elements included),
 * which kustomize's `patches:` follow but for those directives (docs/api-dialects.md lists
 * where, as a differential run found). The type comes from `typeMeta`, else from the base's apiVersion/kind.
 * Built-in kinds merge their lists by the merge keys in merge-keys.ts; other kinds
 * (custom resources) have no list metadata, so every list is replaced and the patch acts
 * as an RFC 7386 JSON merge patch — `$patch` directives on maps still apply, as in
 * kustomize. Returns `null` when the patch deletes the whole object (`$patch: delete`).
 * Throws MaterializerError; never mutates its inputs.
 */
export function strategicMerge(base: JsonObject, patch: JsonObject, typeMeta?: TypeMeta): JsonObject | null {
  const meta = typeMeta ?? typeMetaOf(base);
  const merged = mergeObject(deepClone(base), deepClone(patch), rootType(meta), '');
  return merged === DELETED ? null : merged;
}

/**
 * strategicMerge for a writer who may not see every value: `redact` gives the object as
 * readers without admin see it, and a patch that would show them a value they see hidden
 * (the argument after a flag it deletes or reorders, an env-shaped pair renamed, a Secret made
 * a ConfigMap), or whose result depends on one it matched, is refused (HiddenTrail).
 */
export function strategicMergeKeepingHidden(base: JsonObject, patch: JsonObject, redact: (document: JsonValue) => JsonValue): JsonObject | null {
  const meta = typeMetaOf(base);
  const onMarked = (marked: JsonValue) => strategicMerge(marked as JsonObject, patch, meta);
  let merged: JsonObject | null;
  try {
    merged = strategicMerge(base, patch);
  } catch (error) {
    // Its refusal must not tell what a hidden value is: only one the marked object meets too.
    const trail = HiddenTrail.of(base, redact);
    if (!trail || trail.failsAlike(onMarked, error)) throw error;
    throw notFittingHidden('strategic merge patch');
  }
  if (merged !== null) HiddenTrail.of(base, redact)?.followWhole(onMarked, merged, 'strategic merge patch');
  return merged;
}

/** Applies patches in order; a deleted object stays deleted. */
export function strategicMergeAll(base: JsonObject, patches: readonly JsonObject[], typeMeta?: TypeMeta): JsonObject | null {
  let current: JsonObject | null = base;
  for (const patch of patches) {
    if (current === null) return null;
    current = strategicMerge(current, patch, typeMeta ?? typeMetaOf(current));
  }
  return current;
}

export function typeMetaOf(object: JsonObject): TypeMeta {
  const { apiVersion, kind } = object;
  return {
    ...(typeof apiVersion === 'string' ? { apiVersion } : {}),
    ...(typeof kind === 'string' ? { kind } : {}),
  };
}

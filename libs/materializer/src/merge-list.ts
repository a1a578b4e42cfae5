import { DELETED, type Deleted, PATCH } from './directives';
import { MaterializerError } from './errors';
import { childPath, isJsonObject, type JsonObject, type JsonValue } from './json';
import type { FieldSchema } from './merge-keys';
import { mergeObject } from './merge-object';
import { isListDirective, listDirective, mergePrimitiveList } from './primitive-list';
import { KeyedElements } from './keyed-elements';

/**
 * A list with `patchStrategy: merge`. Elements are matched by the merge keys
 * (sameElement); a patch element merges into one base element, the first it matches, and
 * every other base element stays; `$patch: delete` removes the elements it matches; new
 * ones are added. Order follows
 * kustomize 5.8 (kyaml merge2, ListIncreaseDirection=Prepend): the patch's elements in
 * patch order, then the base elements the patch did not name, in base order — except for
 * lists with several keys (ports) of which an element sets more than the first: there new
 * elements come first and every base element keeps its base position.
 */
export function mergeList(
  base: JsonValue | undefined, patch: JsonValue[], field: FieldSchema, path: string,
): JsonValue[] | Deleted {
  const keys = field.merge ?? [];
  const baseList = Array.isArray(base) ? base : [];
  const primaryKey = keys[0];
  const directive = listDirective(patch, path);
  if (directive === 'delete') return DELETED;
  const elements = patch.filter((element) => !isListDirective(element));
  if (primaryKey === undefined) {
    return directive === 'replace' ? elements : mergePrimitiveList(baseList, elements);
  }
  elements.forEach((element, index) => assertKeyed(element, primaryKey, childPath(path, index)));
  if (directive === 'replace') return replaceWith(elements as JsonObject[], field, path);

  const remaining = new KeyedElements(field, baseList);
  const merged = new KeyedElements(field);
  const added: JsonValue[] = [];
  (elements as JsonObject[]).forEach((element, index) => {
    const elementPath = childPath(path, index);
    const found = merged.matches(element, true)[0] ?? merged.matches(element)[0];
    if (found !== undefined) {
      const again = mergeObject(merged.at(found), element, field.type, elementPath);
      if (again === DELETED) merged.remove(found);
      else merged.replace(found, again);
      return;
    }
    // A delete names every element it matches, as kubectl deletes by the merge key.
    if (element[PATCH] === 'delete') {
      remaining.matches(element).forEach((at) => remaining.remove(at));
      return;
    }
    // A merge goes into one element: the first its keys name with the API server's defaults
    // (`{port: 53}` is 53/TCP where the base has 53/UDP too), else the first kubectl's match by
    // the merge key finds (`{port: 53, protocol: UDP}` changes the protocol of a port that
    // names none); several match where the base names a key twice: the others stay entries
    // of their own.
    const target = remaining.matches(element, true)[0] ?? remaining.matches(element)[0];
    const result = mergeObject(target !== undefined ? remaining.at(target) : undefined, element, field.type, elementPath);
    if (result === DELETED) return;
    merged.push(result);
    if (target !== undefined) remaining.replace(target, result);
    else added.push(result);
  });
  const rest = remaining.values();
  // kyaml re-appends base elements of multi-key lists (ports) in base order, new first, where
  // an element of the base or the patch sets a key past the first (a port's protocol); where
  // none does, it orders them as a list of one key.
  if (setsLaterKeys(keys, [...baseList, ...elements])) return [...added, ...rest];
  const patched = merged.values();
  const named = new Set(patched);
  return [...patched, ...rest.filter((item) => !named.has(item))];
}

function setsLaterKeys(keys: readonly string[], elements: readonly JsonValue[]): boolean {
  const later = keys.slice(1);
  return later.length > 0 && elements.some((element) => isJsonObject(element) && later.some((key) => element[key] !== undefined && element[key] !== null));
}

function assertKeyed(element: JsonValue, key: string, path: string): asserts element is JsonObject {
  if (isJsonObject(element) && Object.hasOwn(element, key) && element[key] !== null) return;
  throw new MaterializerError('merge-key-missing',
    `list element at ${path} has no merge key "${key}"`, path);
}

/** `{$patch: replace}` in a list: the rest of the patch list is the new list. */
function replaceWith(elements: JsonObject[], field: FieldSchema, path: string): JsonValue[] {
  return elements.flatMap((element, index) => {
    const result = mergeObject(undefined, element, field.type, childPath(path, index));
    return result === DELETED ? [] : [result];
  });
}

import { MAX_PARSED_TEXT, parseCheckedYaml, redactSecrets, redactSecretsWith, redactSecretText, redactWholeText } from '@slipway/contracts';
import { applyJsonPatch, isJsonObject, strategicMergeKeepingHidden, type JsonObject, type JsonPatchOperation, type JsonValue } from '@slipway/materializer';
import type { PatchEntry } from './model';
import { rewriteNamespace, rewriteRegistry } from './rewrites';

const bodies = new Map<string, unknown>();

/** Patch bodies are parsed once (they were validated when the patch was stored). */
function bodyOf(patch: PatchEntry): unknown {
  const key = `${patch.format}\u0000${patch.patch}`;
  if (!bodies.has(key)) {
    if (bodies.size > 5_000) bodies.clear();
    bodies.set(key, parseCheckedYaml(patch.patch, { maxAliasCount: 50 }));
  }
  return structuredClone(bodies.get(key));
}

/**
 * One patch on one object. Throws MaterializerError when it does not fit the object. `unstored`:
 * the patch is being written, and held to a bound that came after stored ones (json-patch.ts).
 */
export function applyPatch(object: JsonObject, patch: PatchEntry, unstored = false): JsonObject {
  const body = bodyOf(patch) as JsonObject;
  switch (patch.format) {
    case 'YAML': {
      // Readers without admin see configs redacted: a value hidden from them stays hidden.
      const merged = strategicMergeKeepingHidden(object, body, asReadersSeeIt);
      if (merged === null) throw new Error(`patch ${patch.version} deletes the whole object: a patch changes an object, it cannot remove one`);
      return merged;
    }
    case 'JSON': {
      // Readers without admin see configs redacted: a value hidden from them stays hidden. Not
      // remembered views: the patch changes its copy of the object in place, operation by operation.
      const result = applyJsonPatch(object, body.patch as unknown as JsonPatchOperation[], { redact: (document) => redactSecrets(document) as JsonValue, redactWhole: wholeRedaction(), unstored });
      if (!isJsonObject(result)) throw new Error(`patch ${patch.version} turns the object into something that is not a mapping`);
      return result;
    }
    case 'NAMESPACE':
      return rewriteNamespace(object, String(body.namespace));
    case 'REGISTRY':
      return rewriteRegistry(object, String(body.registry));
  }
}

/**
 * An object as readers without admin see it, remembered while the object lives: a patch's
 * check reads the object it patches and the one it makes, which the next patch of the same
 * object reads again (two views a patch, each about 30 ms for a MiB of text). A strategic merge
 * makes a new object and changes none it was given, so a view stays true (a JSON patch changes
 * its copy in place as it goes: it is given no remembered view).
 */
const views = new WeakMap<object, JsonValue>();
function asReadersSeeIt(document: JsonValue): JsonValue {
  if (document === null || typeof document !== 'object') return redactSecrets(document) as JsonValue;
  let view = views.get(document);
  if (view === undefined) views.set(document, (view = redactSecrets(document) as JsonValue));
  return view;
}

/**
 * Documents as readers see them, texts of any size parsed whole (as the gateway shows them):
 * each long text read once for the patch's operations, however many test it.
 */
function wholeRedaction(): (document: JsonValue) => JsonValue {
  const seen = new Map<string, string>();
  return (document) => redactSecretsWith(document, (text, inSecret) => {
    if (text.length <= MAX_PARSED_TEXT) return redactSecretText(text, inSecret);
    const key = `${inSecret ? 1 : 0}${text}`;
    let shown = seen.get(key);
    if (shown === undefined) seen.set(key, (shown = redactWholeText(text, inSecret)));
    return shown;
  }) as JsonValue;
}

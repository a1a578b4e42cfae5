import { isJsonObject, type JsonObject } from '@slipway/materializer';
import { parse, stringify } from 'yaml';
import { applyPatch } from './apply-patch';
import { targets, type BaseEntry, type ConfigModel, type PatchEntry } from './model';

export interface Materialized {
  objectName: string;
  kind: string;
  releaseVersion: string;
  /** The newest patch applied, null when none. */
  patchVersion: number | null;
  config: string;
  /** Patches that target the object but did not fit it, with the reason. */
  skipped: Array<{ version: number; reason: string }>;
}

export class PatchDoesNotFit extends Error {
  constructor(readonly objectName: string, readonly version: number, reason: string) {
    super(`patch does not apply to "${objectName}": ${reason}`);
  }
}

/**
 * Base of the object's current release + every patch that targets it (by name or
 * through a label), in version order. `strict` lists the patch versions whose failure
 * is an error (new patches being checked); other failing patches are skipped.
 */
export function materialize(base: BaseEntry, patches: readonly PatchEntry[], labels: ReadonlySet<string> | undefined, strict: ReadonlySet<number> = new Set()): Materialized {
  let object = parse(base.config) as JsonObject;
  let patchVersion: number | null = null;
  const skipped: Materialized['skipped'] = [];
  for (const patch of patches) {
    if (!targets(patch, base, labels)) continue;
    try {
      object = applyPatch(object, patch);
      patchVersion = patch.version;
    } catch (error) {
      const reason = (error as Error).message;
      if (strict.has(patch.version)) throw new PatchDoesNotFit(base.objectName, patch.version, reason);
      skipped.push({ version: patch.version, reason });
    }
  }
  if (!isJsonObject(object)) throw new Error(`base config of ${base.objectName} is not a mapping`);
  return { objectName: base.objectName, kind: base.kind, releaseVersion: base.releaseVersion, patchVersion, config: stringify(object), skipped };
}

export function materializeAll(model: ConfigModel, strict: ReadonlySet<number> = new Set()): Map<string, Materialized> {
  const result = new Map<string, Materialized>();
  for (const [name, base] of [...model.bases].sort(([a], [b]) => a.localeCompare(b))) {
    result.set(name, materialize(base, model.patches, model.labels.get(name), strict));
  }
  return result;
}

/** The document's metadata string for a materialized config. */
export const metadataOf = (kind: string): string => JSON.stringify({ type: kind, isEncrypted: false });

/** Objects whose materialized text (or release, or patch version) differs between two models. */
export function changedObjects(before: ConfigModel, after: ConfigModel, strict: ReadonlySet<number> = new Set()): { changed: string[]; after: Map<string, Materialized> } {
  const old = materializeAll(before);
  const next = materializeAll(after, strict);
  const changed = [...next.values()].filter((m) => {
    const o = old.get(m.objectName);
    return !o || o.config !== m.config || o.releaseVersion !== m.releaseVersion || o.patchVersion !== m.patchVersion;
  }).map((m) => m.objectName);
  return { changed, after: next };
}

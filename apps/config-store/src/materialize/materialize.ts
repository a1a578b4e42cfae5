import { parseCheckedYaml } from '@slipway/contracts';
import { isJsonObject, type JsonObject, type TypeMeta, toYamlText } from '@slipway/materializer';
import { applyPatch } from './apply-patch';
import { integerProblems } from './check-integers';
import { identityProblems, shapeProblems } from './check-shape';
import { targets, type BaseEntry, type ConfigModel, type PatchEntry } from './model';
import { writtenProblems } from './written-problems';

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
 * is an error (new patches being checked); other failing patches are skipped. A patch
 * fails when it does not merge, or when it leaves an integer field the API server cannot
 * store (`check-integers.ts`), or an object that cannot be written as YAML. `written` lists
 * stored patches a write brings to the object (newlyReaching): they are judged as being
 * written for what only writes are judged by (written-problems.ts), an error too, since no
 * later materialization judges it; one that does not merge is skipped, as before.
 */
export function materialize(
  base: BaseEntry, patches: readonly PatchEntry[], labels: ReadonlySet<string> | undefined, strict: ReadonlySet<number> = new Set(), written: ReadonlySet<number> = new Set(),
): Materialized {
  let applied = applyPatches(base, patches, labels, { strict, written }, false);
  let config = yamlOf(applied.object);
  if (config === undefined) {
    // Thrown here, past each patch's handling, it failed the command on every retry. Rare, so only
    // now is each patch's result printed, to find the one that made it: a misfit as any other.
    applied = applyPatches(base, patches, labels, { strict, written }, true);
    config = toYamlText(applied.object);
  }
  return { objectName: base.objectName, kind: base.kind, releaseVersion: base.releaseVersion, patchVersion: applied.patchVersion, config, skipped: applied.skipped };
}

/** The patches that fit, applied in turn; `printEach`: a patch whose result cannot be printed does not fit. */
function applyPatches(
  base: BaseEntry, patches: readonly PatchEntry[], labels: ReadonlySet<string> | undefined,
  { strict, written }: { strict: ReadonlySet<number>; written: ReadonlySet<number> }, printEach: boolean,
): { object: JsonObject; patchVersion: number | null; skipped: Materialized['skipped'] } {
  let object = parseCheckedYaml(base.config) as JsonObject;
  let patchVersion: number | null = null;
  const skipped: Materialized['skipped'] = [];
  // Problems the base already has are not a patch's doing; only those a patch introduces refuse it.
  let problems = new Set(valueProblems(base, object));
  for (const patch of patches) {
    if (!targets(patch, base, labels)) continue;
    const isNew = strict.has(patch.version);
    const isWritten = isNew || written.has(patch.version);
    let writtenMisfit: string | undefined;
    try {
      const patched = applyPatch(object, patch, isNew);
      // Judged as the version the patch leaves it in (a patch may move it within its group).
      const meta = { ...base, apiVersion: versionOf(patched, base) };
      const found = [...identityProblems(base, patched), ...valueProblems(meta, patched)];
      const introduced = found.filter((problem) => !problems.has(problem));
      // Keys, booleans and ids the API server refuses: checked on patches being written only, as stored ones materialize as they did.
      const before = isWritten ? new Set([...problems, ...writtenProblems({ ...base, apiVersion: versionOf(object, base) }, object)]) : problems;
      const introducedWritten = isWritten ? writtenProblems(meta, patched).filter((problem) => !before.has(problem)) : [];
      // Only where it would apply otherwise: one skipped all the same (a value no object can hold) harms nothing.
      if (introducedWritten.length > 0 && introduced.length === 0 && !isNew) writtenMisfit = introducedWritten.join('; ');
      // A value the API server cannot store would fail (or, out of range, wrap) every push of the object.
      if (introduced.length > 0 || introducedWritten.length > 0) throw new Error([...introduced, ...introducedWritten].join('; '));
      if (printEach && yamlOf(patched) === undefined) throw new Error('the patched object cannot be written as YAML');
      object = patched;
      problems = new Set(found);
      patchVersion = patch.version;
    } catch (error) {
      const reason = (error as Error).message;
      if (isNew) throw new PatchDoesNotFit(base.objectName, patch.version, reason);
      if (writtenMisfit !== undefined) throw new PatchDoesNotFit(base.objectName, patch.version, writtenMisfit);
      skipped.push({ version: patch.version, reason });
    }
  }
  if (!isJsonObject(object)) throw new Error(`base config of ${base.objectName} is not a mapping`);
  return { object, patchVersion, skipped };
}

/** The object as YAML text, or undefined when the writer cannot print it (a value JSON has not, nesting past the stack). */
function yamlOf(object: JsonObject): string | undefined {
  try {
    return toYamlText(object);
  } catch {
    return undefined;
  }
}

/** What the API server would refuse in an object, whatever patch brought it: its shape, then its integers. */
const valueProblems = (meta: TypeMeta, object: JsonObject): string[] => [...shapeProblems(meta, object), ...integerProblems(meta, object)];
const versionOf = (object: JsonObject, base: BaseEntry): string => (typeof object.apiVersion === 'string' ? object.apiVersion : base.apiVersion);

export function materializeAll(model: ConfigModel, strict: ReadonlySet<number> = new Set(), written?: (base: BaseEntry) => ReadonlySet<number>): Map<string, Materialized> {
  const result = new Map<string, Materialized>();
  for (const [name, base] of [...model.bases].sort(([a], [b]) => a.localeCompare(b))) {
    result.set(name, materialize(base, model.patches, model.labels.get(name), strict, written?.(base)));
  }
  return result;
}

/**
 * A write is checked as a new patch is where it brings stored patches to an object: a label
 * binding (the patches that reach the object after it and did not before) and an upload of a
 * new object (every patch that reaches it). Judged as being written are those patches and
 * every later one that reaches the object, since each meets another object than before (a
 * JSON patch skipped for a path the new one makes: a review saw a binding store `stdin: "yes"`,
 * then every push fail). A patch that reached an object before meets it as before.
 */
export const newlyReaching = (before: ConfigModel, after: ConfigModel) => (base: BaseEntry): ReadonlySet<number> => {
  const reaching = after.patches.filter((patch) => targets(patch, base, after.labels.get(base.objectName)));
  const isNew = !before.bases.has(base.objectName);
  const fresh = isNew ? reaching : reaching.filter((patch) => !targets(patch, base, before.labels.get(base.objectName)));
  if (fresh.length === 0) return new Set();
  const first = Math.min(...fresh.map((patch) => patch.version));
  return new Set(reaching.filter((patch) => patch.version >= first).map((patch) => patch.version));
};

/** The document's metadata string for a materialized config. */
export const metadataOf = (kind: string): string => JSON.stringify({ type: kind, isEncrypted: false });

/** Objects whose materialized text (or release, or patch version) differs between two models. */
export function changedObjects(
  before: ConfigModel, after: ConfigModel, strict: ReadonlySet<number> = new Set(), checkNewlyReaching = false,
): { changed: string[]; after: Map<string, Materialized>; newlySkipped: SkippedPatch[] } {
  const old = materializeAll(before);
  const next = materializeAll(after, strict, checkNewlyReaching ? newlyReaching(before, after) : undefined);
  const changed = [...next.values()].filter((m) => {
    const o = old.get(m.objectName);
    return !o || o.config !== m.config || o.releaseVersion !== m.releaseVersion || o.patchVersion !== m.patchVersion;
  }).map((m) => m.objectName);
  return { changed, after: next, newlySkipped: newlySkipped(old, next) };
}

/** A stored patch that does not apply to an object, named by its version. */
export interface SkippedPatch { version: number; object: string }

/**
 * The stored patches a change leaves skipped where they were not before: a later JSON patch
 * whose `test` held only with the patch deleted, a patch a new label binding brings to an
 * object it does not fit, a new object a stored patch does not fit. Each is said in the
 * write's answer, which otherwise would not tell that a patch stopped applying.
 */
function newlySkipped(before: Map<string, Materialized>, after: Map<string, Materialized>): SkippedPatch[] {
  return [...after.values()].flatMap((m) => {
    const was = new Set(before.get(m.objectName)?.skipped.map((s) => s.version) ?? []);
    return m.skipped.filter((s) => !was.has(s.version)).map((s) => ({ version: s.version, object: m.objectName }));
  });
}

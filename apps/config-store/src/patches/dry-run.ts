import { DomainError, type DryRunEntry } from '@slipway/contracts';
import { materialize, metadataOf, PatchDoesNotFit } from '../materialize/materialize';
import { objectsReached, type ConfigModel } from '../materialize/model';
import type { ParsedPatch } from '../parsing/parse-patches';

const nowhere = (target: string) =>
  `Target '${target}' is a nonexistent object. If you apply a patch to this target there will be no configuration file associated with it until an object called '${target}' is created.`;

/** A target that reaches objects, none of the kind the patch is declared for. */
const otherKinds = (target: string, kind: string, reached: string[]) =>
  `Target '${target}' has no object of kind ${kind}: the patch applies only to ${kind} objects, and '${target}' reaches ${reached.join(', ')}.`;

/**
 * The would-be materialized config of every object the patches reach, in the
 * document's dry-run shape; a target that reaches nothing gets the document's message, one
 * that reaches only objects of another kind than the patch's a message that says so.
 */
export function dryRun(model: ConfigModel, patches: ParsedPatch[], nowMs: number): DryRunEntry[] {
  const last = model.patches.reduce((max, p) => Math.max(max, p.version), 0);
  const entries = patches.map((p, i) => ({ ...p, version: Math.max(last + 1, nowMs) + i }));
  const all = [...model.patches, ...entries];
  const strict = new Set(entries.map((e) => e.version));
  return entries.flatMap((patch): DryRunEntry[] => {
    const reached = objectsReached(model, patch.target, patch.kind);
    if (reached.length === 0) {
      const ofAnyKind = patch.kind === null ? [] : objectsReached(model, patch.target);
      const shown = ofAnyKind.map((name) => `${model.bases.get(name)!.kind} '${name}'`);
      return [{ message: shown.length ? otherKinds(patch.target, patch.kind!, shown) : nowhere(patch.target), dryRun: null }];
    }
    return reached.map((name) => {
      const base = model.bases.get(name)!;
      try {
        const m = materialize(base, all, model.labels.get(name), strict);
        return { message: null, dryRun: {
          objectName: name, releaseVersion: m.releaseVersion, patchVersion: null, previousReleaseVersion: null, previousPatchVersion: null,
          state: null, config: m.config, metadata: metadataOf(base.kind), timestampMS: nowMs,
        } };
      } catch (error) {
        if (error instanceof PatchDoesNotFit) throw new DomainError('invalid', error.message, 'patch');
        throw error;
      }
    });
  });
}

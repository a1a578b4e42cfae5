import { DomainError, type DryRunEntry } from '@slipway/contracts';
import { materialize, metadataOf, PatchDoesNotFit } from '../materialize/materialize';
import { objectsReached, type ConfigModel } from '../materialize/model';
import type { ParsedPatch } from '../parsing/parse-patches';

const nowhere = (target: string) =>
  `Target '${target}' is a nonexistent object. If you apply a patch to this target there will be no configuration file associated with it until an object called '${target}' is created.`;

/**
 * The would-be materialized config of every object the patches reach, in the
 * document's dry-run shape; a target that reaches nothing gets the document's message.
 */
export function dryRun(model: ConfigModel, patches: ParsedPatch[], nowMs: number): DryRunEntry[] {
  const last = model.patches.reduce((max, p) => Math.max(max, p.version), 0);
  const entries = patches.map((p, i) => ({ ...p, version: Math.max(last + 1, nowMs) + i }));
  const all = [...model.patches, ...entries];
  const strict = new Set(entries.map((e) => e.version));
  return entries.flatMap((patch): DryRunEntry[] => {
    const reached = objectsReached(model, patch.target, patch.kind);
    if (reached.length === 0) return [{ message: nowhere(patch.target), dryRun: null }];
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

import type { PatchFormat } from '@slipway/contracts';
import { isClusterScoped, podSpecPath } from '@slipway/materializer';

/** An object's current base: from the latest upload that holds it. */
export interface BaseEntry {
  objectName: string;
  kind: string;
  apiVersion: string;
  releaseVersion: string;
  config: string;
}

export interface PatchEntry {
  version: number;
  target: string;
  format: PatchFormat;
  kind: string | null;
  patch: string;
}

/** Everything materialization reads: bases, live patches in version order, label bindings. */
export interface ConfigModel {
  bases: Map<string, BaseEntry>;
  patches: PatchEntry[];
  /** object name → labels bound to it. */
  labels: Map<string, Set<string>>;
}

/** The target that makes a patch apply to every object (namespace and registry rewrites). */
export const ALL_OBJECTS = '*';

export function targets(patch: PatchEntry, base: BaseEntry, labels: ReadonlySet<string> | undefined): boolean {
  if (patch.kind !== null && patch.kind !== base.kind) return false;
  // Rewrites reach only what they can change: workloads' images, namespaced objects.
  if (patch.format === 'REGISTRY' && !podSpecPath(base)) return false;
  if (patch.format === 'NAMESPACE' && isClusterScoped(base)) return false;
  return patch.target === ALL_OBJECTS || patch.target === base.objectName || (labels?.has(patch.target) ?? false);
}

/** Names of objects with a base that a target (object name or label) reaches. */
export function objectsReached(model: ConfigModel, target: string, kind: string | null = null): string[] {
  const probe: PatchEntry = { version: 0, target, format: 'YAML', kind, patch: '' };
  return [...model.bases.values()].filter((b) => targets(probe, b, model.labels.get(b.objectName))).map((b) => b.objectName).sort();
}

import type { KubeObject } from '@slipway/kube';
import { diffRows, MISSING, type DiffRow } from './diff-rows';
import type { Digest } from './secret-digests';

/**
 * How an object Slipway applied differs from what it intends (see intended-manifest.ts):
 * missing when it should be there; there when it should be absent (an autoscaler a pause
 * deleted, re-created by someone else), unless it is already being deleted; being deleted
 * when it should be there (its deletion time, as Argo CD shows such an object as deleting);
 * else the fields that differ.
 */
export function objectDrift(intended: Record<string, unknown> | undefined, live: KubeObject | undefined, name: string, digest?: Digest): DiffRow[] {
  if (intended === undefined) return live && !live.metadata.deletionTimestamp ? [{ key: 'metadata.name', expected: MISSING, got: live.metadata.name }] : [];
  if (!live) return [{ key: 'metadata.name', expected: name, got: MISSING }];
  // Being deleted (a finalizer holds it): it will be gone, whatever its fields say now.
  const deleting = live.metadata.deletionTimestamp;
  return deleting ? [{ key: 'metadata.deletionTimestamp', expected: MISSING, got: String(deleting) }] : diffRows(intended, live, digest);
}

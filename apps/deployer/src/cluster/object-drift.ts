import type { KubeObject } from '@slipway/kube';
import { diffRows, MISSING, type DiffRow } from './diff-rows';
import type { Digest } from './secret-digests';

/**
 * How an object Slipway applied differs from what it intends (see intended-manifest.ts):
 * missing when it should be there; there when it should be absent (an autoscaler a pause
 * deleted, re-created by someone else), unless it is already being deleted; else the fields
 * that differ.
 */
export function objectDrift(intended: Record<string, unknown> | undefined, live: KubeObject | undefined, name: string, digest?: Digest): DiffRow[] {
  if (intended === undefined) return live && !live.metadata.deletionTimestamp ? [{ key: 'metadata.name', expected: MISSING, got: live.metadata.name }] : [];
  return live ? diffRows(intended, live, digest) : [{ key: 'metadata.name', expected: name, got: MISSING }];
}

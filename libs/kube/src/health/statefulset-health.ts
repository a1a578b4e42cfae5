import { healthy, progressing, specNotObserved, type Health } from './health-status';

export interface StatefulSetLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  status?: { observedGeneration?: number; replicas?: number; readyReplicas?: number; updatedReplicas?: number; currentReplicas?: number; currentRevision?: string; updateRevision?: string };
}

/** Argo CD's StatefulSet rules: observed, ready, then updated (respecting a partition). */
export function statefulSetHealth(statefulSet: StatefulSetLike): Health {
  const { spec, status } = statefulSet;
  if (!status?.observedGeneration || specNotObserved(statefulSet.metadata, status)) return progressing('Waiting for statefulset spec update to be observed...');
  const desired = spec?.replicas ?? 1;
  const ready = status.readyReplicas ?? 0;
  if (ready < desired) return progressing(`Waiting for ${desired - ready} pods to be ready...`);
  const strategy = spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy === 'OnDelete') return healthy(`statefulset has ${ready} ready pods`);
  const partition = spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const expected = desired - partition;
    const updated = status.updatedReplicas ?? 0;
    if (updated < expected) return progressing(`Waiting for partitioned roll out to finish: ${updated} out of ${expected} new pods have been updated...`);
    return healthy(`partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  if (status.updateRevision && status.updateRevision !== status.currentRevision) {
    return progressing(`waiting for statefulset rolling update to complete ${status.updatedReplicas ?? 0} pods at revision ${status.updateRevision}...`);
  }
  return healthy(`statefulset rolling update complete ${status.currentReplicas ?? ready} pods at revision ${status.currentRevision ?? ''}...`);
}

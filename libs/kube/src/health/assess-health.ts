import type { KubeObject } from '../kube-object';
import { daemonSetHealth, type DaemonSetLike } from './daemonset-health';
import { deploymentHealth, type DeploymentLike } from './deployment-health';
import { healthy, worstHealth, type Health } from './health-status';
import { jobHealth, type JobLike } from './job-health';
import { ingressHealth, serviceHealth, type IngressLike, type ServiceLike } from './network-health';
import { podHealth, type PodLike } from './pod-health';
import { replicaSetHealth, type ReplicaSetLike } from './replicaset-health';
import { statefulSetHealth, type StatefulSetLike } from './statefulset-health';
import { persistentVolumeClaimHealth, type PersistentVolumeClaimLike } from './storage-health';

/**
 * The health of one live object; `undefined` (the object is not in the cluster) is Missing.
 * Kinds without a status to judge (ConfigMap, Secret, a ClusterIP Service, ...) are Healthy by existing.
 */
export function assessHealth(object: KubeObject | undefined): Health {
  if (!object) return { status: 'Missing', message: 'object does not exist in the cluster' };
  // The kind names the shape of `spec` and `status`; each rule reads only optional fields.
  switch (object.kind) {
    case 'Deployment':
      return deploymentHealth(object as DeploymentLike);
    case 'StatefulSet':
      return statefulSetHealth(object as StatefulSetLike);
    case 'DaemonSet':
      return daemonSetHealth(object as DaemonSetLike);
    case 'ReplicaSet':
      return replicaSetHealth(object as ReplicaSetLike);
    case 'Job':
      return jobHealth(object as JobLike);
    case 'Pod':
      return podHealth(object as PodLike);
    case 'PersistentVolumeClaim':
      return persistentVolumeClaimHealth(object as PersistentVolumeClaimLike);
    case 'Service':
      return serviceHealth(object as ServiceLike);
    case 'Ingress':
      return ingressHealth(object as IngressLike);
    default:
      return healthy();
  }
}

/** The health of several objects: the worst one wins. */
export function aggregateHealth(objects: Array<KubeObject | undefined>): Health {
  return worstHealth(objects.map(assessHealth));
}

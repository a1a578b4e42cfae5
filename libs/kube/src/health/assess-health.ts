import { apiGroupOf } from '@slipway/contracts';
import type { KubeObject } from '../kube-object';
import { horizontalPodAutoscalerHealth, type HorizontalPodAutoscalerLike } from './autoscaler-health';
import { cronJobHealth, type CronJobLike } from './cronjob-health';
import { daemonSetHealth, type DaemonSetLike } from './daemonset-health';
import { deploymentHealth, type DeploymentLike } from './deployment-health';
import { healthy, progressing, worstHealth, type Health } from './health-status';
import { jobHealth, type JobLike } from './job-health';
import { ingressHealth, serviceHealth, type IngressLike, type ServiceLike } from './network-health';
import { podHealth, type PodLike } from './pod-health';
import { replicaSetHealth, type ReplicaSetLike } from './replicaset-health';
import { statefulSetHealth, type StatefulSetLike } from './statefulset-health';
import { persistentVolumeClaimHealth, type PersistentVolumeClaimLike } from './storage-health';

/**
 * The rule for each kind, by API group and kind (`group/Kind`, the core group empty): a
 * custom resource that shares a built-in's kind (a Volcano `Job`, a Knative `Service`) has
 * another status, and is judged by existing. Each rule reads only optional fields.
 */
const RULES: Record<string, (object: KubeObject) => Health> = {
  'apps/Deployment': (o) => deploymentHealth(o as DeploymentLike),
  'apps/StatefulSet': (o) => statefulSetHealth(o as StatefulSetLike),
  'apps/DaemonSet': (o) => daemonSetHealth(o as DaemonSetLike),
  'apps/ReplicaSet': (o) => replicaSetHealth(o as ReplicaSetLike),
  'batch/Job': (o) => jobHealth(o as JobLike),
  'batch/CronJob': (o) => cronJobHealth(o as CronJobLike),
  '/Pod': (o) => podHealth(o as PodLike),
  '/PersistentVolumeClaim': (o) => persistentVolumeClaimHealth(o as PersistentVolumeClaimLike),
  '/Service': (o) => serviceHealth(o as ServiceLike),
  'networking.k8s.io/Ingress': (o) => ingressHealth(o as IngressLike),
  'autoscaling/HorizontalPodAutoscaler': (o) => horizontalPodAutoscalerHealth(o as HorizontalPodAutoscalerLike),
};

/**
 * The health of one live object; `undefined` (the object is not in the cluster) is Missing,
 * one being deleted (held by a finalizer, or by its dependents in a foreground deletion) is
 * Progressing. Kinds without a status to judge (ConfigMap, Secret, a ClusterIP Service, ...)
 * are Healthy by existing.
 */
export function assessHealth(object: KubeObject | undefined): Health {
  if (!object) return { status: 'Missing', message: 'object does not exist in the cluster' };
  if (object.metadata?.deletionTimestamp) return progressing('pending deletion');
  const rule = RULES[`${apiGroupOf(object.apiVersion ?? '')}/${object.kind}`];
  return rule ? rule(object) : healthy();
}

/** The health of several objects: the worst one wins. */
export function aggregateHealth(objects: Array<KubeObject | undefined>): Health {
  return worstHealth(objects.map(assessHealth));
}

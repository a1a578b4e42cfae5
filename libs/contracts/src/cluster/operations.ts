import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isCommandId, MAX_COMMAND_ID_LENGTH, readsAsSecret } from '../envelope';
import { command, event, query, type EventDataOf } from '../define';
import { MAX_LISTED_OBJECTS } from '../config/materialized';
import { objectName } from '../config/names';

/**
 * Cluster operations of the Instabase Deployment Manager, carried out by the deployer
 * (its Kubernetes port). The deployer reads what to apply from the config-store's
 * materialized configs (qry.config.list-materialized.v1) and reports each apply as
 * ConfigApplied, which makes that materialized config the golden one.
 */
export interface PushOutcome {
  successfulApply: string[];
  /** Object name → why it could not be applied. */
  failedToApply: Record<string, string>;
}

const push = z.object({
  objects: z.array(objectName).max(MAX_LISTED_OBJECTS).optional(),
  /** A config write's id: the objects its recorded outcome lists as changed (pushOfChanged). */
  changedBy: z.string().refine(isCommandId, 'must be the id of a config write').optional(),
}).strict().refine((push) => push.objects === undefined || push.changedBy === undefined, { message: 'give objects or changedBy, not both', path: ['changedBy'] });
/**
 * Applies the latest materialized configs of the given objects: those listed, those a write
 * changed, or all when neither is given.
 */
export const PushConfigs = command<typeof push, PushOutcome>('cmd.deployer.push-configs.v1', push);

/**
 * A config write that changed materialized configs pushes them (the Instabase document's
 * writes "apply" what they change) under an id derived from the write's: the config-store
 * hands it to JetStream before the write is answered, and whoever waits for the push (the
 * gateway's synchronous answer, a result poll) sends the same command, which JetStream
 * drops within its dedupe window and the deployer answers from its record after.
 */
const PUSH_SUFFIX = '-push';
export const pushIdOf = (writeCommandId: string): string => {
  const derived = `${writeCommandId}${PUSH_SUFFIX}`;
  // A write's id near the longest allowed (a client's Idempotency-Key, a publisher's own id),
  // or one the suffix makes read as a secret (`x-token:` + `-push`), would make a push id no
  // service takes: its digest stands in for it then.
  return derived.length <= MAX_COMMAND_ID_LENGTH && !readsAsSecret(derived) ? derived : `${createHash('sha256').update(writeCommandId).digest('hex')}${PUSH_SUFFIX}`;
};

/**
 * The push of what a write changed: its objects by name, or, past what a push lists, by the
 * write, whose committed outcome lists them (a write may change more objects than a command
 * carries: an upload of 4 MiB holds some 70,000 small ones). Named where they fit, so a push's
 * record says what it pushed, and senders of every version agree on the command under its id.
 */
export const pushOfChanged = (materialized: string[], writeCommandId: string): z.infer<typeof push> =>
  (materialized.length <= MAX_LISTED_OBJECTS ? { objects: materialized } : { changedBy: writeCommandId });

const none = z.object({}).strict();
/** Scales every Deployment and StatefulSet to 0, remembering their replicas. */
export const HibernateCluster = command<typeof none, null>('cmd.deployer.hibernate-cluster.v1', none);
/** Restores the replicas remembered by the last hibernation. */
export const ReviveCluster = command<typeof none, null>('cmd.deployer.revive-cluster.v1', none);
export const PauseAutoscaling = command<typeof none, null>('cmd.deployer.pause-autoscaling.v1', none);
export const ResumeAutoscaling = command<typeof none, null>('cmd.deployer.resume-autoscaling.v1', none);

export const clusterSize = z.enum(['standard', 'large', 'x-large'], { message: 'must be one of standard, large, x-large' });
const resize = z.object({ size: clusterSize }).strict();
/** Sizing presets become recorded patches (replicas, resources), then a push. */
export const ResizeCluster = command<typeof resize, PushOutcome>('cmd.deployer.resize-cluster.v1', resize);

const kubeName = z.string().min(1, 'must not be empty').max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name: lowercase letters, digits, "-" and "."');
const job = z.object({ name: kubeName }).strict();
export const DeleteJob = command<typeof job, null>('cmd.deployer.delete-job.v1', job);
const pod = z.object({ pod: kubeName }).strict();
export const DeletePod = command<typeof pod, null>('cmd.deployer.delete-pod.v1', pod);
/** Takes a pod out of its Services' selectors by relabelling it; it keeps running. */
export const QuarantinePod = command<typeof pod, null>('cmd.deployer.quarantine-pod.v1', pod);

export interface Inconsistencies {
  numInconsistencies: number;
  inconsistentResources: Record<string, { diffRows: Array<{ key: string; expected: string; got: string }> }>;
  consistentResources: string[];
  skippedResources: Record<string, { code: number; reason: string }>;
}
export const FindInconsistencies = query<typeof none, Inconsistencies>('qry.deployer.find-inconsistencies.v1', none);
export const AutoscalingStatus = query<typeof none, Record<string, 'running' | 'paused'>>('qry.deployer.autoscaling-status.v1', none);
export const AutoscaledResources = query<typeof none, { names: string[] }>('qry.deployer.autoscaled-resources.v1', none);
export const ClusterNamespace = query<typeof none, { namespace: string }>('qry.deployer.cluster-namespace.v1', none);
/** Whether the deployer's Kubernetes API server answers (platform status asks it). */
export const ClusterReachability = query<typeof none, { configured: boolean; reachable: boolean; details: string }>('qry.deployer.cluster-reachability.v1', none);

/**
 * The deployer applied a materialized config: it is now the object's golden one.
 * `manifest` is what was sent to the API server (namespace and Slipway labels included):
 * drift detection compares the live object with it. While the cluster is hibernated a
 * workload is sent at 0 replicas; its manifest keeps the config's replicas, which
 * revive restores (HibernatedReplicasChanged).
 */
export const ConfigApplied = event('cluster.config-applied.v1', z.object({
  objectName: z.string(), releaseVersion: z.string(), patchVersion: z.number().int().nullable(), appliedAt: z.string(),
  manifest: z.record(z.string(), z.unknown()).optional(),
  /** The materialized version applied (MaterializedView.materializedSeq); absent in events recorded before it was. */
  materializedSeq: z.number().int().positive().optional(),
  /**
   * A digest of the materialized config's text, keyed with the deployer's secret (it tells
   * nothing of the values in it): whether a later config is the one applied, by content.
   */
  configDigest: z.string().optional(),
}));
/** Replicas each workload had before hibernation (`Deployment/name` → replicas); revive restores them. */
export const ClusterHibernated = event('cluster.hibernated.v1', z.object({
  replicas: z.record(z.string(), z.number().int()), hibernatedAt: z.string(),
}));
/**
 * A push while hibernated changed the replicas revive restores (`Deployment/name` →
 * replicas): the workloads stay at 0 and wake up at what their latest config asks for.
 * Added after ClusterHibernated; logs without it fold exactly as before.
 */
export const HibernatedReplicasChanged = event('cluster.hibernated-replicas-changed.v1', z.object({
  replicas: z.record(z.string(), z.number().int()), changedAt: z.string(),
}));
/**
 * The cluster revived: recorded before the workloads are scaled back (the intent is durable
 * first, as a hibernation's), with the replicas it restores (`Kind/name` → replicas; absent
 * in events recorded before revive recorded them). `marksFinish`: a ClusterReviveFinished
 * follows once it is carried out (absent before 2026-12-06, when none did: such a revive
 * counts as finished).
 */
export const ClusterRevived = event('cluster.revived.v1', z.object({
  revivedAt: z.string(), replicas: z.record(z.string(), z.number().int()).optional(), marksFinish: z.literal(true).optional(),
}));
/**
 * A revival carried out: the workloads it recorded are scaled back (or were pushed, or the
 * cluster hibernated again, since). Until then a hibernation records the replicas that
 * revival restores, not the live ones: cut short, it left them at 0.
 */
export const ClusterReviveFinished = event('cluster.revive-finished.v1', z.object({ finishedAt: z.string() }));
/**
 * Autoscaling paused: each HorizontalPodAutoscaler's manifest (name → what re-creates it)
 * was recorded, then the HPA deleted. Resume re-creates exactly these. `uids`: the uid of
 * each one the pause found live, the precondition of its deletion, so that a pause finished
 * late (redriven, or delivered again after a crash) never deletes one made since under the
 * same name; a controller without one was not live (a resume cut short had not re-created
 * it). Absent before 2026-12-07, when the deletions went by name.
 */
export const AutoscalingPaused = event('cluster.autoscaling-paused.v1', z.object({
  controllers: z.record(z.string(), z.record(z.string(), z.unknown())), pausedAt: z.string(),
  uids: z.record(z.string(), z.string()).optional(),
}));
/**
 * A resume, recorded before the autoscalers are re-created: `autoscalers`, those it
 * re-creates as their pause recorded them (all it resumes but those a push re-created since
 * the pause; absent before 2026-12-05, when resumes were recorded after re-creating).
 */
export const AutoscalingResumed = event('cluster.autoscaling-resumed.v1', z.object({
  controllers: z.array(z.string()), resumedAt: z.string(), autoscalers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
}));
/**
 * A resume carried out: the autoscalers it re-created (or found pushed, or paused again)
 * are no longer its to finish. Until then a pause that finds one of them not live records it
 * paused all the same (the resume may have been cut short before re-creating it).
 */
export const AutoscalingResumeFinished = event('cluster.autoscaling-resume-finished.v1', z.object({ controllers: z.array(z.string()), finishedAt: z.string() }));
/**
 * A Job or Pod of the namespace deleted on request (DeleteJob, DeletePod), recorded before
 * the deletion is sent: `uid` names the very object, so that the deletion finished after a
 * crash never takes one made since under the same name.
 */
export const ObjectDeleted = event('cluster.object-deleted.v1', z.object({
  kind: z.enum(['Job', 'Pod']), name: z.string(), uid: z.string().optional(), deletedAt: z.string(),
}));
/**
 * A pod taken out of its Services (QuarantinePod), recorded before its labels are changed
 * (once a dry run passed; the deployer finishes the relabelling when the command is delivered
 * again): `uid`, the pod judged (the patch's precondition), and `removedLabels`, the keys it
 * takes off (their values are kept on the pod, in its `slipway.io/quarantined-labels`
 * annotation).
 */
export const PodQuarantined = event('cluster.pod-quarantined.v1', z.object({
  name: z.string(), uid: z.string().optional(), removedLabels: z.array(z.string()), quarantinedAt: z.string(),
}));
export type ClusterEvent =
  | { type: typeof ConfigApplied.type; data: EventDataOf<typeof ConfigApplied> }
  | { type: typeof ClusterHibernated.type; data: EventDataOf<typeof ClusterHibernated> }
  | { type: typeof HibernatedReplicasChanged.type; data: EventDataOf<typeof HibernatedReplicasChanged> }
  | { type: typeof ClusterRevived.type; data: EventDataOf<typeof ClusterRevived> }
  | { type: typeof ClusterReviveFinished.type; data: EventDataOf<typeof ClusterReviveFinished> }
  | { type: typeof AutoscalingPaused.type; data: EventDataOf<typeof AutoscalingPaused> }
  | { type: typeof AutoscalingResumed.type; data: EventDataOf<typeof AutoscalingResumed> }
  | { type: typeof AutoscalingResumeFinished.type; data: EventDataOf<typeof AutoscalingResumeFinished> }
  | { type: typeof ObjectDeleted.type; data: EventDataOf<typeof ObjectDeleted> }
  | { type: typeof PodQuarantined.type; data: EventDataOf<typeof PodQuarantined> };
/** The deployer's record of one Kubernetes namespace it operates (its Deployment Manager namespace). */
export const clusterStreamId = (kubernetesNamespace: string): string => `cluster-${kubernetesNamespace}`;

import {
  AutoscalingPaused, AutoscalingResumed, AutoscalingResumeFinished, ClusterHibernated, ClusterReviveFinished, ClusterRevived, ConfigApplied, DomainError, HibernatedReplicasChanged, ObjectDeleted, PodQuarantined,
  type ClusterEvent, type EventDataOf,
} from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';
import { replicasToRemember } from './hibernation';
import { autoscalerName, objectKey } from './intended-manifest';

export interface AppliedConfig {
  objectName: string;
  releaseVersion: string;
  patchVersion: number | null;
  /** Which materialized version of the object it was (MaterializedView.materializedSeq); absent when recorded before it was. */
  materializedSeq?: number;
  /** The keyed digest of the materialized config's text (ConfigApplied.configDigest); absent when recorded before it was. */
  configDigest?: string;
  /** The config's manifest (while hibernated, a workload was sent at 0 replicas instead of these). */
  manifest: Record<string, unknown>;
}

export interface ClusterState {
  /** The last config applied per object: the golden one. */
  golden: Record<string, AppliedConfig>;
  /** Replicas revive restores (`Kind/name` → replicas), while hibernated; null when awake. */
  hibernated: Record<string, number> | null;
  /** HorizontalPodAutoscalers paused (deleted) and not yet resumed: name → manifest that re-creates it. */
  pausedAutoscalers: Record<string, Record<string, unknown>>;
  /**
   * Paused autoscalers a push re-created since their pause: their pushed spec stands (resume
   * leaves them as pushed, drift expects them live), until they are paused again or resumed.
   */
  pushedSincePause: string[];
  /**
   * Objects Slipway deleted (a job or a pod, `Kind/name`) and no push applied since: meant
   * absent, so their absence is not drift, until a push creates them again.
   */
  deletedSincePush: string[];
  /**
   * Autoscalers a resume recorded to re-create (name → manifest) and has not finished
   * re-creating, nor were they paused or pushed since: a pause that finds one not live (the
   * resume cut short before re-creating it) records it paused all the same, so that the
   * resume, delivered again, does not undo the pause, and a later resume still has it.
   */
  resumedAutoscalers: Record<string, Record<string, unknown>>;
  /**
   * Replicas a revival recorded to restore (`Kind/name` → replicas) and has not finished
   * restoring, but for workloads pushed since: a hibernation meanwhile records these, not the
   * live replicas (still 0 where the revival was cut short), so the next revival restores them.
   */
  reviving: Record<string, number>;
}

export type ClusterCommand =
  /** `repaused`: autoscalers paused after the push was issued, recorded paused again with its spec (sealed). */
  | { kind: 'record-applied'; applied: AppliedConfig[]; repaused?: Record<string, Record<string, unknown>>; now: string }
  | { kind: 'hibernate'; replicas: Record<string, number>; now: string }
  | { kind: 'revive'; now: string }
  | { kind: 'revive-finished'; now: string }
  /** `uids`: of those it found live, the deletions' precondition (absent: recorded as before 2026-12-07). */
  | { kind: 'pause-autoscaling'; controllers: Record<string, Record<string, unknown>>; uids?: Record<string, string>; now: string }
  /** `autoscalers`: those to re-create as the resume records them (sealed anew: resealedAutoscalers). */
  | { kind: 'resume-autoscaling'; controllers: string[]; autoscalers: Record<string, Record<string, unknown>>; now: string }
  | { kind: 'resume-finished'; controllers: string[]; now: string }
  | { kind: 'delete-object'; object: Omit<EventDataOf<typeof ObjectDeleted>, 'deletedAt'>; now: string }
  | { kind: 'quarantine-pod'; pod: Omit<EventDataOf<typeof PodQuarantined>, 'quarantinedAt'>; now: string };

/** One Kubernetes namespace as the deployer operates it: golden configs and hibernation. */
export const clusterDecider: Decider<ClusterState, ClusterCommand, ClusterEvent> = {
  initialState: () => ({ golden: {}, hibernated: null, pausedAutoscalers: {}, pushedSincePause: [], deletedSincePush: [], resumedAutoscalers: {}, reviving: {} }),
  // Every push lengthens a namespace's stream: without snapshots each command would read all of it.
  // Version 2: the state gained pushedSincePause; version 3, deletedSincePush (an older snapshot lacks it, so is folded anew);
  // version 4, the golden configs' materializedSeq and configDigest (one taken by an older deployer dropped them);
  // version 5, resumedAutoscalers; version 6, reviving.
  // Remembered: the state holds every applied manifest (tens of MB), which a push read twice.
  // So a snapshot is read only when a deployer starts, and one of 28 MiB took about 1.3 s to
  // write (most of it quoting it for the statement, a character at a time, until 2026-12-07:
  // 18 MiB take 0.27 s now): every 256 events, not 32, reading at most 256 events more once at a start.
  snapshots: { name: 'cluster', version: 6, remember: true, every: 256 },

  evolve(state, event) {
    switch (event.type) {
      case ConfigApplied.type: {
        const { objectName, releaseVersion, patchVersion, manifest, materializedSeq, configDigest } = event.data;
        const applied = { objectName, releaseVersion, patchVersion, manifest: manifest ?? {}, ...(materializedSeq ? { materializedSeq } : {}), ...(configDigest ? { configDigest } : {}) };
        const golden = { ...state.golden, [objectName]: applied };
        // An autoscaler the push re-created while paused: what it pushed is now intended.
        const autoscaler = autoscalerName(manifest ?? {});
        const repushed = autoscaler !== undefined && autoscaler in state.pausedAutoscalers && !state.pushedSincePause.includes(autoscaler);
        // An object Slipway deleted and a push creates again is meant live again.
        const key = objectKey(manifest ?? {});
        const deletedSincePush = state.deletedSincePush.includes(key) ? state.deletedSincePush.filter((k) => k !== key) : state.deletedSincePush;
        const resumedAutoscalers = autoscaler !== undefined && autoscaler in state.resumedAutoscalers ? without(state.resumedAutoscalers, [autoscaler]) : state.resumedAutoscalers;
        // A workload pushed while a revival is unfinished has the replicas its push set.
        const reviving = key in state.reviving ? without(state.reviving, [key]) : state.reviving;
        return { ...state, golden, deletedSincePush, resumedAutoscalers, reviving, ...(repushed ? { pushedSincePause: [...state.pushedSincePause, autoscaler] } : {}) };
      }
      case ClusterHibernated.type:
        return { ...state, hibernated: { ...event.data.replicas, ...state.hibernated }, reviving: {} };
      case HibernatedReplicasChanged.type:
        return state.hibernated ? { ...state, hibernated: { ...state.hibernated, ...event.data.replicas } } : state;
      case ClusterRevived.type:
        // One recorded before revivals marked their finish is taken as finished.
        return { ...state, hibernated: null, reviving: event.data.marksFinish ? event.data.replicas ?? {} : {} };
      case ClusterReviveFinished.type:
        return { ...state, reviving: {} };
      case AutoscalingPaused.type:
        // A controller re-created (by a push) and paused again: its latest spec wins, and it is meant absent again.
        return {
          ...state, pausedAutoscalers: { ...state.pausedAutoscalers, ...event.data.controllers },
          pushedSincePause: state.pushedSincePause.filter((name) => !(name in event.data.controllers)),
          resumedAutoscalers: without(state.resumedAutoscalers, Object.keys(event.data.controllers)),
        };
      case AutoscalingResumed.type: {
        const resumed = new Set(event.data.controllers);
        return {
          ...state, pausedAutoscalers: without(state.pausedAutoscalers, event.data.controllers),
          pushedSincePause: state.pushedSincePause.filter((name) => !resumed.has(name)),
          resumedAutoscalers: { ...state.resumedAutoscalers, ...event.data.autoscalers },
        };
      }
      case AutoscalingResumeFinished.type:
        return { ...state, resumedAutoscalers: without(state.resumedAutoscalers, event.data.controllers) };
      case ObjectDeleted.type: {
        // Recorded for the audit, for finishing the deletion, and for drift (meant absent now):
        // kept only for an object Slipway pushed (a Deployment's pod, deleted, was never one).
        const key = `${event.data.kind}/${event.data.name}`;
        const pushed = Object.values(state.golden).some((applied) => objectKey(applied.manifest) === key);
        return !pushed || state.deletedSincePush.includes(key) ? state : { ...state, deletedSincePush: [...state.deletedSincePush, key] };
      }
      default:
        // A type a later version records (met by this one during a rollout or after a
        // rollback) changes nothing this version decides on.
        return state;
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'record-applied': {
        const applied: ClusterEvent[] = command.applied.map((a) => ({ type: ConfigApplied.type, data: { ...a, appliedAt: command.now } }));
        // After the applies: paused again with the pushed spec, as the push then the pause would have left them.
        const repaused: ClusterEvent[] = command.repaused && Object.keys(command.repaused).length > 0
          ? [{ type: AutoscalingPaused.type, data: { controllers: command.repaused, pausedAt: command.now } }] : [];
        // Configs pushed while hibernated decide what revive restores (the workloads stayed at 0).
        const replicas = state.hibernated ? replicasToRemember(state.hibernated, command.applied.map((a) => a.manifest)) : {};
        if (Object.keys(replicas).length === 0) return [...applied, ...repaused];
        return [...applied, ...repaused, { type: HibernatedReplicasChanged.type, data: { replicas, changedAt: command.now } }];
      }
      case 'hibernate': {
        // A second hibernation keeps the first one's replicas: the workloads are at 0 by then.
        // A revival not finished restores what it recorded, not what is live (0 where it was cut short).
        const fresh = Object.fromEntries(Object.entries(command.replicas)
          .filter(([key]) => !(key in (state.hibernated ?? {})))
          .map(([key, live]) => [key, state.reviving[key] ?? live]));
        if (state.hibernated && Object.keys(fresh).length === 0) return [];
        return [{ type: ClusterHibernated.type, data: { replicas: fresh, hibernatedAt: command.now } }];
      }
      case 'revive':
        if (!state.hibernated) throw new DomainError('conflict', 'the cluster is not hibernated: nothing to revive');
        return [{ type: ClusterRevived.type, data: { revivedAt: command.now, replicas: state.hibernated, marksFinish: true } }];
      case 'revive-finished':
        return Object.keys(state.reviving).length === 0 ? [] : [{ type: ClusterReviveFinished.type, data: { finishedAt: command.now } }];
      // Pausing with no live controller and resuming with none paused change nothing: both
      // are idempotent, so a retried pause or resume answers 200 as the document shows.
      case 'pause-autoscaling':
        if (Object.keys(command.controllers).length === 0) return [];
        return [{ type: AutoscalingPaused.type, data: { controllers: command.controllers, pausedAt: command.now, ...(command.uids ? { uids: command.uids } : {}) } }];
      case 'resume-autoscaling': {
        const controllers = command.controllers.filter((name) => name in state.pausedAutoscalers);
        if (controllers.length === 0) return [];
        // Re-created as paused (the handler's copies, sealed anew), but for those a push re-created since: what was pushed stands.
        const autoscalers = Object.fromEntries(Object.entries(command.autoscalers).filter(([name]) => controllers.includes(name) && !state.pushedSincePause.includes(name)));
        return [{ type: AutoscalingResumed.type, data: { controllers, resumedAt: command.now, autoscalers } }];
      }
      case 'resume-finished': {
        const controllers = command.controllers.filter((name) => name in state.resumedAutoscalers);
        return controllers.length === 0 ? [] : [{ type: AutoscalingResumeFinished.type, data: { controllers, finishedAt: command.now } }];
      }
      case 'delete-object':
        return [{ type: ObjectDeleted.type, data: { ...command.object, deletedAt: command.now } }];
      // For the audit: a quarantined pod is no object Slipway applied, so nothing it decides on.
      case 'quarantine-pod':
        return [{ type: PodQuarantined.type, data: { ...command.pod, quarantinedAt: command.now } }];
    }
  },
};

/** The map without the entries of `names`. */
function without<T>(map: Record<string, T>, names: readonly string[]): Record<string, T> {
  const dropped = new Set(names);
  return Object.fromEntries(Object.entries(map).filter(([name]) => !dropped.has(name)));
}

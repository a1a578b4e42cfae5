import { degraded, findCondition, healthy, progressing, type Condition, type Health } from './health-status';

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
  running?: object;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodLike {
  spec?: { restartPolicy?: string };
  status?: {
    phase?: string; reason?: string; message?: string; conditions?: Condition[];
    containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[];
  };
}

/** Waiting reasons that will not resolve without a change: the pod is broken, not starting. */
export const DEGRADED_WAITING_REASONS = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName',
  'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreStartHookError', 'PostStartHookError',
]);

/** The kubelet's names for a container that cannot start follow these shapes (ImageInspectError, PreCreateHookError, ...). */
const isBrokenWaiting = (reason: string): boolean =>
  DEGRADED_WAITING_REASONS.has(reason) || reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');

function brokenContainer(pod: PodLike): Health | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const container of statuses) {
    const waiting = container.state?.waiting;
    if (waiting?.reason && isBrokenWaiting(waiting.reason)) {
      return degraded(`container ${container.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`);
    }
  }
  return undefined;
}

/** A container that is not ready and has ended before: crashing (or killed by its probe) between restarts. */
function crashedContainer(containers: ContainerStatus[]): Health | undefined {
  const crashed = containers.find((container) => !container.ready && container.lastState?.terminated);
  if (!crashed) return undefined;
  const ended = crashed.lastState!.terminated!;
  return degraded(`container ${crashed.name} is not ready and ended before: ${ended.reason ?? `exit code ${ended.exitCode ?? 'unknown'}`}`);
}

/**
 * Pod phases, with container states deciding between "still starting" and "broken". Only a
 * pod that restarts its containers for good (restartPolicy Always, the default) is broken by
 * a container waiting or crashing: a run-to-completion pod may still succeed on a retry.
 * Readiness is the pod's Ready condition where reported (readiness gates, sidecars), else
 * every container's.
 */
export function podHealth(pod: PodLike): Health {
  const status = pod.status;
  const restartsForGood = (pod.spec?.restartPolicy ?? 'Always') === 'Always';
  const containers = status?.containerStatuses ?? [];
  switch (status?.phase) {
    case 'Succeeded':
      return healthy(status.message);
    case 'Failed':
      return degraded(status.message ?? status.reason ?? 'Pod failed');
    case 'Pending':
      return (restartsForGood ? brokenContainer(pod) : undefined) ?? progressing(status.message ?? 'Pod is pending');
    case 'Running': {
      // A run-to-completion pod is only done when it Succeeds.
      if (!restartsForGood) return progressing('Pod is running');
      const broken = brokenContainer(pod);
      if (broken) return broken;
      const readyCondition = findCondition(status.conditions, 'Ready');
      const ready = readyCondition ? readyCondition.status === 'True' : containers.length > 0 && containers.every((container) => container.ready);
      if (ready) return healthy();
      const unready = containers.filter((container) => !container.ready).map((container) => container.name);
      return crashedContainer(containers)
        ?? progressing(readyCondition?.message ?? `containers not ready: ${unready.join(', ') || 'none reported'}`);
    }
    default:
      return { status: 'Unknown', message: status?.message ?? `Pod phase ${status?.phase ?? 'not reported'}` };
  }
}

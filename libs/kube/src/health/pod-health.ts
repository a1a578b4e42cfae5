import { degraded, healthy, progressing, type Health } from './health-status';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
}

export interface PodLike {
  spec?: { restartPolicy?: string };
  status?: { phase?: string; reason?: string; message?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

/** Waiting reasons that will not resolve without a change: the pod is broken, not starting. */
export const DEGRADED_WAITING_REASONS = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName',
  'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreStartHookError', 'PostStartHookError',
]);

function brokenContainer(pod: PodLike): Health | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const container of statuses) {
    const waiting = container.state?.waiting;
    if (waiting?.reason && DEGRADED_WAITING_REASONS.has(waiting.reason)) {
      return degraded(`container ${container.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`);
    }
  }
  return undefined;
}

/** Pod phases, with container waiting reasons deciding between "still starting" and "broken". */
export function podHealth(pod: PodLike): Health {
  const status = pod.status;
  switch (status?.phase) {
    case 'Succeeded':
      return healthy(status.message);
    case 'Failed':
      return degraded(status.message ?? status.reason ?? 'Pod failed');
    case 'Pending':
      return brokenContainer(pod) ?? progressing(status.message ?? 'Pod is pending');
    case 'Running': {
      const broken = brokenContainer(pod);
      if (broken) return broken;
      // A run-to-completion pod is only done when it Succeeds.
      if (pod.spec?.restartPolicy && pod.spec.restartPolicy !== 'Always') return progressing('Pod is running');
      const containers = status.containerStatuses ?? [];
      const unready = containers.filter((container) => !container.ready).map((container) => container.name);
      return containers.length > 0 && unready.length === 0 ? healthy() : progressing(`containers not ready: ${unready.join(', ') || 'none reported'}`);
    }
    default:
      return { status: 'Unknown', message: status?.message ?? `Pod phase ${status?.phase ?? 'not reported'}` };
  }
}

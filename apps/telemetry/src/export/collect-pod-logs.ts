import { readPodLogs, type KubeError } from '@slipway/kube';
import type { ClusterView } from '../cluster/telemetry-cluster';
import { LogBudget } from './log-budget';
import { boundLog, sinceTimeOf, type TimeWindow } from './log-window';
import type { PodObject, ResolvedService } from './resolve-service';

/** One container's log in the export, or why it is not there. */
export interface ContainerLogNote {
  service: string;
  pod: string;
  container: string;
  /** An init container: it runs, to completion, before the others start. */
  init?: true;
  /** The instance before the container's last restart. */
  previous?: true;
  file?: string;
  lines?: number;
  bytes?: number;
  truncated?: boolean;
  error?: string;
}

export type LogsNote =
  | { status: 'collected'; namespace: string; sinceTime: string; until: string; limits: LogBudget['limits']; bytes: number; truncated: boolean; containers: ContainerLogNote[] }
  | { status: 'unavailable'; reason: string };

export interface PodLogs { files: Record<string, string>; note: LogsNote }

/** One log to read: a container's current instance, or (`previous`) the one before its last restart. */
type LogSource = Pick<ContainerLogNote, 'service' | 'pod' | 'container' | 'init' | 'previous'>;

/**
 * Why a log could not be read, as the API server said it (`not-found: pods "web-1" not
 * found`): its kind of refusal, its HTTP status where the kind does not say it, and its
 * message, shown as the port shows every refusal (secret-looking values redacted).
 */
function logRefusal(error: KubeError): string {
  const status = 'status' in error && error.status !== undefined ? ` (HTTP ${error.status})` : '';
  return `could not read the log: ${error.kind}${status}: ${error.message}`;
}

/**
 * Each container's log, then each init container's: the pod's bounded budget goes first to
 * the containers that serve (a crash-looping app's log, not a verbose migration's), and a pod
 * stuck in Init, whose containers never started and have no log, leaves it whole to its init
 * containers (`kubectl logs -c <init>`) that explain it. A container that
 * restarted has the log of its previous instance too — the one that crashed, usually what
 * an export is wanted for (`kubectl logs --previous`). The kubelet keeps only that one;
 * asking for it without a restart is an error, so the pod's status decides.
 */
function logSourcesOf(service: string, pod: PodObject): LogSource[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const restarted = new Set(statuses.filter((s) => (s.restartCount ?? 0) > 0).map((s) => s.name));
  const containers = [
    ...(pod.spec?.containers ?? []).map(({ name }) => ({ name })),
    ...(pod.spec?.initContainers ?? []).map(({ name }) => ({ name, init: true as const })),
  ];
  return containers.flatMap(({ name: container, ...init }) => {
    const at = { service, pod: pod.metadata.name, container, ...init };
    return restarted.has(container) ? [at, { ...at, previous: true as const }] : [at];
  });
}

/**
 * The container logs of the services' pods in the window, read from the log endpoint
 * (`sinceTime` for the start, `timestamps=true` to drop lines from the end on, `limitBytes`
 * so no more than the budget travels), redacted, one file per container:
 * `logs/<service>/<pod>/<container>.log`, and `<container>.previous.log` for the instance
 * before a restart. A pod whose log cannot be read (not started yet, gone) is noted, not
 * fatal. Logs of pods that no longer exist are not available: the cluster keeps none.
 */
export async function collectPodLogs(cluster: ClusterView, services: ResolvedService[], window: TimeWindow, budget = new LogBudget()): Promise<PodLogs> {
  const files: Record<string, string> = {};
  const containers: ContainerLogNote[] = [];
  const sinceTime = sinceTimeOf(window.start);
  let truncated = false;
  for (const service of services) {
    const pods = [...service.pods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const source of pods.flatMap((pod) => logSourcesOf(service.name, pod))) {
      const allowance = budget.allowance(source.pod);
      if (allowance === 0) {
        truncated = true;
        containers.push({ ...source, truncated: true, error: 'not read: the export\'s log size bound was reached' });
        continue;
      }
      const ref = { namespace: cluster.namespace, pod: source.pod, container: source.container };
      const read = await readPodLogs(cluster.client, ref, { sinceTime, timestamps: true, limitBytes: allowance, previous: source.previous ?? false });
      if (!read.ok) {
        containers.push({ ...source, error: logRefusal(read.error) });
        continue;
      }
      const log = boundLog(read.value, window, allowance, Buffer.byteLength(read.value) >= allowance);
      const file = `logs/${source.service}/${source.pod}/${source.container}${source.previous ? '.previous' : ''}.log`;
      files[file] = log.text;
      budget.spend(source.pod, log.bytes);
      truncated ||= log.truncated;
      containers.push({ ...source, file, lines: log.lines, bytes: log.bytes, truncated: log.truncated });
    }
  }
  return {
    files,
    note: { status: 'collected', namespace: cluster.namespace, sinceTime, until: new Date(window.end).toISOString(), limits: budget.limits, bytes: budget.bytes, truncated, containers },
  };
}

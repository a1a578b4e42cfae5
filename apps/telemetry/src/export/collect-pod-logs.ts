import { readPodLogs } from '@slipway/kube';
import type { ClusterView } from '../cluster/telemetry-cluster';
import { LogBudget } from './log-budget';
import { boundLog, sinceTimeOf, type TimeWindow } from './log-window';
import type { ResolvedService } from './resolve-service';

/** One container's log in the export, or why it is not there. */
export interface ContainerLogNote {
  service: string;
  pod: string;
  container: string;
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

/**
 * The container logs of the services' pods in the window, read from the log endpoint
 * (`sinceTime` for the start, `timestamps=true` to drop lines from the end on, `limitBytes`
 * so no more than the budget travels), redacted, one file per container:
 * `logs/<service>/<pod>/<container>.log`. A pod whose log cannot be read (not started
 * yet, gone) is noted, not fatal. Logs of pods that no longer exist are not available.
 */
export async function collectPodLogs(cluster: ClusterView, services: ResolvedService[], window: TimeWindow, budget = new LogBudget()): Promise<PodLogs> {
  const files: Record<string, string> = {};
  const containers: ContainerLogNote[] = [];
  const sinceTime = sinceTimeOf(window.start);
  let truncated = false;
  for (const service of services) {
    const pods = [...service.pods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const pod of pods) {
      for (const { name: container } of pod.spec?.containers ?? []) {
        const at = { service: service.name, pod: pod.metadata.name, container };
        const allowance = budget.allowance(pod.metadata.name);
        if (allowance === 0) {
          truncated = true;
          containers.push({ ...at, truncated: true, error: 'not read: the export\'s log size bound was reached' });
          continue;
        }
        const read = await readPodLogs(cluster.client, { namespace: cluster.namespace, pod: pod.metadata.name, container }, { sinceTime, timestamps: true, limitBytes: allowance });
        if (!read.ok) {
          containers.push({ ...at, error: read.error.message });
          continue;
        }
        const log = boundLog(read.value, window, allowance, Buffer.byteLength(read.value) >= allowance);
        const file = `logs/${service.name}/${pod.metadata.name}/${container}.log`;
        files[file] = log.text;
        budget.spend(pod.metadata.name, log.bytes);
        truncated ||= log.truncated;
        containers.push({ ...at, file, lines: log.lines, bytes: log.bytes, truncated: log.truncated });
      }
    }
  }
  return {
    files,
    note: { status: 'collected', namespace: cluster.namespace, sinceTime, until: new Date(window.end).toISOString(), limits: budget.limits, bytes: budget.bytes, truncated, containers },
  };
}

import type { ServiceEvents } from './audit-events';
import type { PodObject, ResolvedService } from './resolve-service';

export interface PodStat { name: string; phase: string; node?: string; ready: string; restarts: number; startTime?: string }

export function podStatOf(pod: PodObject): PodStat {
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    name: pod.metadata.name,
    phase: pod.status?.phase ?? 'Unknown',
    node: pod.spec?.nodeName,
    ready: `${statuses.filter((s) => s.ready).length}/${pod.spec?.containers?.length ?? statuses.length}`,
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    startTime: pod.status?.startTime,
  };
}

/**
 * STATS: the services' audit events of the range counted by type, and each service's
 * pods as they are now (phase, readiness, restarts) where a cluster is configured.
 */
export function statsOf(events: ServiceEvents, services: ResolvedService[], clusterConfigured: boolean) {
  const byType: Record<string, number> = {};
  for (const e of events.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return {
    events: events.events.length,
    truncated: events.truncated,
    byType,
    services: Object.fromEntries(services.map((s) => [s.name, {
      status: s.note.status,
      ...(s.note.status === 'found' || s.note.status === 'not deployed' ? { kind: s.note.kind } : {}),
      ...(clusterConfigured ? { pods: s.pods.map(podStatOf) } : {}),
    }])),
  };
}

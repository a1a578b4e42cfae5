import type { Sql } from '@slipway/event-log';
import { TelemetryCluster, type ClusterView } from '../cluster/telemetry-cluster';
import { MAX_EXPORTED_EVENT_BYTES, readServiceEvents } from './audit-events';
import { collectPodLogs } from './collect-pod-logs';
import { configsOf, ServiceConfigs } from './configs';
import { resolveService, type MaterializedLookup, type ResolvedService } from './resolve-service';
import { statsOf } from './stats';
import type { ExportRequest } from './telescope.decider';

/** Where an export reads from: the audit log, the config store, the cluster (if any). */
export interface ExportSources {
  sql: Sql;
  lookup: MaterializedLookup;
  cluster: ClusterView | undefined;
}

/** After one failed lookup (the config store down) the rest fail at once, not each after a timeout. */
function untilUnanswered(lookup: MaterializedLookup): MaterializedLookup {
  let failure: unknown;
  return async (name) => {
    if (failure) throw failure;
    try {
      return await lookup(name);
    } catch (error) {
      failure = error;
      throw error;
    }
  };
}

/**
 * The export's files for the requested services and [start, end):
 * - LOGS → `logs/<service>/<pod>/<container>.log` (the pods' container logs; `.previous.log`
 *   for the instance before a restart) and
 *   `audit-events.json` (Slipway's audit events about the services);
 * - STATS → `stats.json`; CONFIGS → `configs.json`;
 * - always `manifest.json`: the request (what an import reads back) and under `collected`
 *   what was found for each service, how many audit events (and bytes of them) it carries
 *   and whether their bound cut them short, for LOGS what was read, truncated or unavailable,
 *   and for CONFIGS, where their bound left any out, whose (and the bytes kept).
 * A service the config store does not manage is noted "not found" there, not refused: the
 * document validates nothing about the names, and the job has already answered WAITING.
 */
export async function collect(sources: ExportSources, request: ExportRequest): Promise<Record<string, unknown>> {
  const names = [...new Set(request.services)];
  const resolved: ResolvedService[] = [];
  const lookup = untilUnanswered(sources.lookup);
  const configs = request.data_sources.includes('CONFIGS') ? new ServiceConfigs() : undefined;
  for (const name of names) {
    // Each service's config tells its kind and pods; it is held past that only for CONFIGS, within their bound.
    const { materialized, ...service } = await resolveService(name, lookup, sources.cluster);
    resolved.push(service);
    if (materialized) await configs?.add(name, materialized);
  }
  const events = await readServiceEvents(sources.sql, request, new Set(names));
  // Compact, as their bounds count them (indented, audit events of 8 MiB took 8.8).
  const configsFile = configs ? JSON.stringify(configsOf(events, configs)) : undefined;
  const collected: Record<string, unknown> = {
    services: Object.fromEntries(resolved.map((s) => [s.name, s.note])),
    events: { exported: events.events.length, bytes: events.bytes, maxBytes: MAX_EXPORTED_EVENT_BYTES, truncated: events.truncated },
    // Said where the bound left a config out (an export whose configs all fit reads as before).
    ...(configs?.note.truncated ? { configs: configs.note } : {}),
  };
  const files: Record<string, unknown> = { 'manifest.json': { ...request, collected } };
  if (request.data_sources.includes('LOGS')) {
    if (sources.cluster) {
      const window = { start: Date.parse(request.start), end: Date.parse(request.end) };
      const logs = await collectPodLogs(sources.cluster, resolved, window);
      Object.assign(files, logs.files);
      collected.logs = logs.note;
    } else {
      collected.logs = { status: 'unavailable', reason: TelemetryCluster.UNCONFIGURED };
    }
    files['audit-events.json'] = JSON.stringify(events.events);
  }
  if (request.data_sources.includes('STATS')) files['stats.json'] = statsOf(events, resolved, sources.cluster !== undefined);
  if (configsFile !== undefined) files['configs.json'] = configsFile;
  return files;
}

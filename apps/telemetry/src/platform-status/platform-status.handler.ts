import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CommandBus, parseQuery, RELAY_CHECKPOINT, within, type Bus } from '@slipway/bus';
import { ClusterReachability, PlatformStatus, query, type QueryEnvelope } from '@slipway/contracts';
import { projectionCheckpoint, readerLag, STUCK_AFTER_MS, type ReaderLag } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { z } from 'zod';
import { allProjections } from '../replay/replay';
import { HealthTracker, type CheckResult, type ComponentView } from './health-tracker';

/** Injection token: telemetry's own bus connection, for asking the other services. */
export const PLATFORM_BUS = Symbol('PLATFORM_BUS');
export interface PlatformBus { bus: Bus; commands: CommandBus }

/** The services that answer `qry.<subject name>.health.v1`, by component name. */
export const SERVICES: ReadonlyArray<[component: string, subjectName: string]> = [['config-store', 'config'], ['deployer', 'deployer'], ['telemetry', 'telemetry']];
const none = z.object({}).strict();
const healthOf = (service: string) =>
  query<typeof none, { service: string; status: 'ok' | 'degraded'; database: 'ok' | 'unreachable' }>(`qry.${service}.health.v1`, none);

const TIMEOUT_MS = 3_000;

/**
 * The readers of the log that run on their own (one leader across all instances): the relay,
 * which feeds the bus's EVENTS, and the projections that follow the log. Each is its own check.
 */
const LOG_READERS: ReadonlyArray<{ check: string; checkpoint: string; logged: string }> = [
  { check: 'Event Relay', checkpoint: RELAY_CHECKPOINT, logged: 'relay:' },
  ...allProjections.flatMap(({ projections }) => projections.filter((p) => p.followsLog)
    .map((p) => ({ check: `Projection ${p.name}`, checkpoint: projectionCheckpoint(p), logged: `projection ${p.name}:` }))),
];

/**
 * Platform status: Postgres (telemetry's connection), NATS, the Kubernetes API server (as
 * the deployer reaches it) and each service's own health, run on every request and
 * reported by component with the tracker's history.
 */
@Controller()
export class PlatformStatusHandler {
  private readonly tracker = new HealthTracker();

  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(PLATFORM_BUS) private readonly platform: PlatformBus) {}

  @MessagePattern(PlatformStatus.subject)
  async status(@Payload() envelope: QueryEnvelope): Promise<Record<string, ComponentView>> {
    parseQuery(PlatformStatus, envelope);
    const [readers, ...results] = await Promise.all([
      this.logReaders(),
      run('Database Connection', 'database', true, async () => {
        await this.db.query('SELECT 1');
        return [true, 'Check Passed!'];
      }),
      run('Message Bus Connection', 'message-bus', true, async () => {
        const rtt = await this.platform.bus.nc.rtt();
        return [true, `Check Passed! NATS round trip ${rtt.toFixed(1)} ms`];
      }),
      run('Kubernetes API Server', 'kubernetes', true, async () => {
        const reply = await this.platform.commands.query(ClusterReachability, {}, TIMEOUT_MS);
        if (!reply.ok) return [false, reply.error.message];
        return [reply.value.reachable, reply.value.details];
      }),
      ...SERVICES.map(([service, subjectName]) => run(`${service} Service`, service, true, async () => {
        const reply = await this.platform.commands.query(healthOf(subjectName), {}, TIMEOUT_MS);
        if (!reply.ok) return [false, reply.error.message];
        const healthy = reply.value.status === 'ok';
        return [healthy, healthy ? 'Check Passed!' : `${service} cannot reach its database`];
      })),
    ]);
    return this.tracker.report([...results, ...readers], Date.now());
  }

  /** One check per reader of the log, from one query. */
  private async logReaders(): Promise<CheckResult[]> {
    const startedAtMs = Date.now();
    let lags: ReaderLag[] | Error;
    try {
      lags = await within(readerLag(this.db, LOG_READERS.map((reader) => reader.checkpoint), STUCK_AFTER_MS), TIMEOUT_MS, 'the event log');
    } catch (error) {
      lags = error instanceof Error ? error : new Error(String(error));
    }
    const runtimeMs = Date.now() - startedAtMs;
    return LOG_READERS.map((reader, i) => {
      const [healthy, details] = lags instanceof Error ? [false, `could not read where it stands: ${lags.message}`] : readerDetails(lags[i]!, reader.logged);
      return { id: reader.check, component: 'event-log', healthy, details, critical: false, startedAtMs, runtimeMs };
    });
  }
}

function readerDetails(lag: ReaderLag, logged: string): [boolean, string] {
  if (!lag.stuck) return [true, lag.oldestLeftAt ? `Check Passed! taking events written since ${lag.oldestLeftAt}` : 'Check Passed! every event taken'];
  const moved = lag.movedAt ? `not moved since ${lag.movedAt}` : 'never moved';
  return [false, `an event written at ${lag.oldestLeftAt} is not taken, and its checkpoint has ${moved}: it fails on an event (the services' logs say why, after "${logged}"), or no instance runs it`];
}

async function run(id: string, component: string, critical: boolean, check: () => Promise<[boolean, string]>): Promise<CheckResult> {
  const startedAtMs = Date.now();
  let healthy: boolean;
  let details: string;
  try {
    [healthy, details] = await within(check(), TIMEOUT_MS, id);
  } catch (error) {
    healthy = false;
    details = error instanceof Error ? error.message : String(error);
  }
  return { id, component, healthy, details, critical, startedAtMs, runtimeMs: Date.now() - startedAtMs };
}

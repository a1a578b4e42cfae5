import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CommandBus, parseQuery, type Bus } from '@slipway/bus';
import { ClusterReachability, PlatformStatus, query, type QueryEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { z } from 'zod';
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
    const results = await Promise.all([
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
    return this.tracker.report(results, Date.now());
  }
}

async function run(id: string, component: string, critical: boolean, check: () => Promise<[boolean, string]>): Promise<CheckResult> {
  const startedAtMs = Date.now();
  let healthy: boolean;
  let details: string;
  try {
    [healthy, details] = await Promise.race([
      check(),
      new Promise<[boolean, string]>((resolve) => setTimeout(() => resolve([false, `no answer within ${TIMEOUT_MS} ms`]), TIMEOUT_MS).unref()),
    ]);
  } catch (error) {
    healthy = false;
    details = error instanceof Error ? error.message : String(error);
  }
  return { id, component, healthy, details, critical, startedAtMs, runtimeMs: Date.now() - startedAtMs };
}

import { Logger, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MigrationObject } from '@mikro-orm/core';
import { Bus, claimBus, JetStreamServer, shownError, startRelay } from '@slipway/bus';
import {
  bringProjectionsUpToDate, createPool, installationId, migrate, readEventAt, recordDeadLettered, recordOutcomeOnce, recordRetryable, startProjector, type Projection, type TailLoop,
} from '@slipway/event-log';
import type { Pool } from 'pg';
import type { ServiceConfig } from './config';
import { DatabaseModule } from './database.module';
import { PassThroughFilter } from './pass-through.filter';
import { untilReachable } from './until-reachable';

export interface ServiceDefinition {
  name: string;
  /** Receives the pool and returns the service's root module. */
  module: (database: ReturnType<typeof DatabaseModule.forPool>) => Type<unknown>;
  /** Schema holding the service's read models, first on its search_path. */
  schema: string;
  migrations: MigrationObject[];
  /**
   * Its projections: a versioned one built with other rules is repaired before the service
   * listens; one that follows the log (of other services' events) is kept up to date by a
   * runner the service starts.
   */
  projections?: Projection[];
  /** Its commands delivered and not yet settled, across its processes (JetStreamServerOptions.inFlight). */
  inFlight?: number;
}

export interface RunningService {
  app: INestMicroservice;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * Boots one service: migrations, a Postgres pool on its schema, the Nest microservice on
 * the JetStream transport, and a relay candidate (one relay is active across all
 * processes, elected by advisory lock, so the log reaches EVENTS while any service runs).
 */
export async function startService(definition: ServiceDefinition, config: ServiceConfig): Promise<RunningService> {
  const log = new Logger(definition.name);
  await untilReachable('Postgres', () => migrate(config.databaseUrl, definition.migrations), log);
  const pool = createPool(config.databaseUrl, { schema: definition.schema, max: 20 });
  // Before taking any command: the bus must be this installation's (bus-claim.ts).
  try {
    const id = await untilReachable('Postgres', () => installationId(pool), log);
    await untilReachable('NATS', async () => {
      const bus = await Bus.connect({ url: config.natsUrl, prefix: config.busPrefix, name: `${definition.name} (claim)` });
      try {
        await claimBus(bus, id);
      } finally {
        await bus.close();
      }
    }, log);
  } catch (error) {
    await pool.end();
    throw error;
  }
  // Postgres may restart while the service starts (a supervisor restarting both): waited out as for the migrations.
  for (const r of await untilReachable('Postgres', () => bringProjectionsUpToDate(pool, definition.schema, definition.projections ?? []), log)) {
    if (r.repaired) log.warn(`projection ${r.projection}: rows rebuilt from the log for version ${r.to} of its rules (they were built with ${r.from ?? 'an unrecorded version'})`);
  }
  const strategy = new JetStreamServer({
    url: config.natsUrl, prefix: config.busPrefix, service: definition.name, maxDeliveries: config.maxDeliveries, inFlight: definition.inFlight,
    recordRefusal: (refusal) => recordOutcomeOnce(pool, refusal),
    recordRetryable: (refusal) => recordRetryable(pool, refusal),
    recordDeadLettered: (refusal) => recordDeadLettered(pool, refusal),
    readEvent: (position) => readEventAt(pool, position),
  });
  const app = await NestFactory.createMicroservice(definition.module(DatabaseModule.forPool(pool)), { strategy, logger: ['error', 'warn'] });
  app.useGlobalFilters(new PassThroughFilter());
  await app.listen();
  const relay: TailLoop = startRelay(pool, strategy.unwrap(), config.databaseUrl, (e) => log.warn(`relay: ${shownError(e)}`));
  const followers = (definition.projections ?? []).filter((p) => p.followsLog)
    .map((p) => startProjector(pool, config.databaseUrl, p, { onError: (e) => log.warn(`projection ${p.name}: ${shownError(e)}`) }));
  return {
    app, pool,
    async close() {
      for (const follower of followers) await follower.stop();
      await relay.stop();
      await app.close();
      await pool.end();
    },
  };
}

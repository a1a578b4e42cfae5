import { Controller, Inject, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { DATABASE } from './database.module';

export interface ServiceHealth {
  service: string;
  status: 'ok' | 'degraded';
  database: 'ok' | 'unreachable';
}

/** `qry.<service>.health.v1`: every service answers whether it can reach its database. */
export function healthHandler(service: string): Type<unknown> {
  @Controller()
  class HealthHandler {
    constructor(@Inject(DATABASE) private readonly db: Pool) {}

    @MessagePattern(`qry.${service}.health.v1`)
    async health(): Promise<ServiceHealth> {
      const database = await this.db.query('SELECT 1').then(() => 'ok' as const, () => 'unreachable' as const);
      return { service, status: database === 'ok' ? 'ok' : 'degraded', database };
    }
  }
  return HealthHandler;
}

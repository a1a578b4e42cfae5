import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';

/** Injection token for the service's Postgres pool. */
export const DATABASE = Symbol('DATABASE');

@Global()
@Module({})
export class DatabaseModule {
  static forPool(pool: Pool): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: DATABASE, useValue: pool }], exports: [DATABASE] };
  }
}

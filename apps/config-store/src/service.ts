import { startService, type ServiceConfig } from '@slipway/runtime';
import { configStoreModule } from './config-store.module';
import { configMigrations } from './migrations';
import { configProjection } from './model/config.projection';

/** The config-store's read models: rebuilt and compared by `npm run replay`. */
export const configProjections = [configProjection];

export function startConfigStore(config: ServiceConfig) {
  return startService({ name: 'config', schema: 'config', module: configStoreModule, migrations: configMigrations, projections: configProjections }, config);
}

import { startService, type ServiceConfig } from '@slipway/runtime';
import { configStoreModule } from './config-store.module';

export function startConfigStore(config: ServiceConfig) {
  return startService({ name: 'config', schema: 'config', module: configStoreModule, migrations: [] }, config);
}

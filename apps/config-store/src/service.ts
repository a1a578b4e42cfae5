import { Bus, CommandBus } from '@slipway/bus';
import { startService, type RunningService, type ServiceConfig } from '@slipway/runtime';
import { configStoreModule } from './config-store.module';
import { configMigrations } from './migrations';
import { configProjection } from './model/config.projection';

/** The config-store's read models: rebuilt and compared by `npm run replay`. */
export const configProjections = [configProjection];

/**
 * Starts the config-store, with a bus connection of its own for the commands it sends (the
 * push of what a write changed, see ChangePusher).
 */
export async function startConfigStore(config: ServiceConfig): Promise<RunningService> {
  const bus = await Bus.connect({ url: config.natsUrl, prefix: config.busPrefix, name: 'config-store-pushes' });
  try {
    const commands = new CommandBus(bus);
    const service = await startService({ name: 'config', schema: 'config', module: (db) => configStoreModule(db, commands), migrations: configMigrations, projections: configProjections }, config);
    return {
      ...service,
      async close() {
        await service.close();
        await bus.close();
      },
    };
  } catch (error) {
    await bus.close();
    throw error;
  }
}

import { Logger } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { connectWhenReachable, startService, type RunningService, type ServiceConfig } from '@slipway/runtime';
import { configStoreModule } from './config-store.module';
import { configMigrations } from './migrations';
import { goldenProjection } from './materialize/golden.projection';
import { configProjection } from './model/config.projection';

/** Commands the config-store holds at once (across its processes); the rest wait in JetStream. */
export const CONFIG_COMMANDS_IN_FLIGHT = 32;

/** The config-store's read models: rebuilt and compared by `npm run replay`. */
export const configProjections = [configProjection, goldenProjection];

/**
 * Starts the config-store, with a bus connection of its own for the commands it sends (the
 * push of what a write changed, see ChangePusher).
 */
export async function startConfigStore(config: ServiceConfig): Promise<RunningService> {
  const bus = await connectWhenReachable({ url: config.natsUrl, prefix: config.busPrefix, name: 'config-store-pushes' }, new Logger('config'));
  try {
    const commands = new CommandBus(bus);
    const service = await startService({
      name: 'config', schema: 'config', module: (db) => configStoreModule(db, commands), migrations: configMigrations, projections: configProjections,
      // Its writes take one lock in turn and carry uploads of up to 4 MiB: more in flight
      // would only wait for the lock, parsed, in memory. None waits for another command.
      inFlight: CONFIG_COMMANDS_IN_FLIGHT,
    }, config);
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

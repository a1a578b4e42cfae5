import { Bus, CommandBus } from '@slipway/bus';
import { startService, type RunningService, type ServiceConfig } from '@slipway/runtime';
import { telemetryMigrations } from './export/migrations';
import { telemetryModule } from './telemetry.module';

/** Starts telemetry, with a bus connection of its own for asking the other services (platform status). */
export async function startTelemetry(config: ServiceConfig): Promise<RunningService> {
  const bus = await Bus.connect({ url: config.natsUrl, prefix: config.busPrefix, name: 'telemetry-platform-status' });
  try {
    const service = await startService({ name: 'telemetry', schema: 'telemetry', module: (db) => telemetryModule(db, { bus, commands: new CommandBus(bus) }), migrations: telemetryMigrations }, config);
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

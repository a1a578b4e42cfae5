import { Logger } from '@nestjs/common';
import { CommandBus, type Bus } from '@slipway/bus';
import { connectWhenReachable, startService, type RunningService, type ServiceConfig, type TelemetrySettings, telemetrySettings } from '@slipway/runtime';
import { TelemetryCluster, type TelemetryClusterConfig } from './cluster/telemetry-cluster';
import { telemetryMigrations } from './export/migrations';
import { telescopeProjection } from './export/telescope.projection';
import { telemetryModule } from './telemetry.module';

/**
 * Starts telemetry, with a bus connection of its own for asking the other services
 * (platform status, export lookups). Without `cluster.kubeconfig` it reads nothing from
 * Kubernetes: exports then say in their manifest that pod logs were not collected.
 */
export async function startTelemetry(config: ServiceConfig & Partial<TelemetrySettings> & { cluster?: TelemetryClusterConfig }): Promise<RunningService> {
  const cluster = TelemetryCluster.open(config.cluster ?? {});
  let bus: Bus | undefined;
  try {
    bus = await connectWhenReachable({ url: config.natsUrl, prefix: config.busPrefix, name: 'telemetry-platform-status' }, new Logger('telemetry'));
    const platform = { bus, commands: new CommandBus(bus) };
    const service = await startService({ name: 'telemetry', schema: 'telemetry', module: (db) => telemetryModule(db, platform, cluster, { exportRetentionHours: config.exportRetentionHours ?? telemetrySettings({}).exportRetentionHours }), migrations: telemetryMigrations, projections: [telescopeProjection] }, config);
    const connection = bus;
    return {
      ...service,
      async close() {
        await service.close();
        await connection.close();
        await cluster.close();
      },
    };
  } catch (error) {
    await bus?.close();
    await cluster.close();
    throw error;
  }
}

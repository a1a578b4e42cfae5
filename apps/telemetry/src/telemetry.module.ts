import { Module, type DynamicModule } from '@nestjs/common';
import { healthHandler } from '@slipway/runtime';
import { AuditHandlers } from './audit/audit.handlers';
import { TELEMETRY_CLUSTER, type TelemetryCluster } from './cluster/telemetry-cluster';
import { TelescopeHandlers } from './export/telescope.handlers';
import { PLATFORM_BUS, PlatformStatusHandler, type PlatformBus } from './platform-status/platform-status.handler';

export function telemetryModule(database: DynamicModule, platform: PlatformBus, cluster: TelemetryCluster) {
  @Module({
    imports: [database],
    providers: [{ provide: PLATFORM_BUS, useValue: platform }, { provide: TELEMETRY_CLUSTER, useValue: cluster }],
    controllers: [AuditHandlers, TelescopeHandlers, PlatformStatusHandler, healthHandler('telemetry')],
  })
  class TelemetryModule {}
  return TelemetryModule;
}

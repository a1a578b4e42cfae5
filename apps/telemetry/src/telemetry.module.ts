import { Module, type DynamicModule } from '@nestjs/common';
import { healthHandler, type TelemetrySettings } from '@slipway/runtime';
import { AuditHandlers } from './audit/audit.handlers';
import { TELEMETRY_CLUSTER, type TelemetryCluster } from './cluster/telemetry-cluster';
import { TELEMETRY_SETTINGS, TelescopeHandlers } from './export/telescope.handlers';
import { PLATFORM_BUS, PlatformStatusHandler, type PlatformBus } from './platform-status/platform-status.handler';

export function telemetryModule(database: DynamicModule, platform: PlatformBus, cluster: TelemetryCluster, settings: TelemetrySettings) {
  @Module({
    imports: [database],
    providers: [{ provide: PLATFORM_BUS, useValue: platform }, { provide: TELEMETRY_CLUSTER, useValue: cluster }, { provide: TELEMETRY_SETTINGS, useValue: settings }],
    controllers: [AuditHandlers, TelescopeHandlers, PlatformStatusHandler, healthHandler('telemetry')],
  })
  class TelemetryModule {}
  return TelemetryModule;
}

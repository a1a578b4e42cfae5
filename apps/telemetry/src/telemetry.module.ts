import { Module, type DynamicModule } from '@nestjs/common';
import { healthHandler } from '@slipway/runtime';
import { AuditHandlers } from './audit/audit.handlers';
import { TelescopeHandlers } from './export/telescope.handlers';
import { PLATFORM_BUS, PlatformStatusHandler, type PlatformBus } from './platform-status/platform-status.handler';

export function telemetryModule(database: DynamicModule, platform: PlatformBus) {
  @Module({
    imports: [database],
    providers: [{ provide: PLATFORM_BUS, useValue: platform }],
    controllers: [AuditHandlers, TelescopeHandlers, PlatformStatusHandler, healthHandler('telemetry')],
  })
  class TelemetryModule {}
  return TelemetryModule;
}

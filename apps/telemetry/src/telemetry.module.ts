import { Module, type DynamicModule } from '@nestjs/common';
import { healthHandler } from '@slipway/runtime';
import { AuditHandlers } from './audit/audit.handlers';

export function telemetryModule(database: DynamicModule) {
  @Module({ imports: [database], controllers: [AuditHandlers, healthHandler('telemetry')] })
  class TelemetryModule {}
  return TelemetryModule;
}

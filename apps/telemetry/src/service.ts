import { startService, type ServiceConfig } from '@slipway/runtime';
import { telemetryModule } from './telemetry.module';

export function startTelemetry(config: ServiceConfig) {
  return startService({ name: 'telemetry', schema: 'telemetry', module: telemetryModule, migrations: [] }, config);
}

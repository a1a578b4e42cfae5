import 'reflect-metadata';
import { clusterSettingsFromEnv } from '@slipway/kube';
import { loadConfig, runUntilSignal, telemetrySettings } from '@slipway/runtime';
import { startTelemetry } from './service';

void runUntilSignal('telemetry', () => startTelemetry({
  ...loadConfig(),
  ...telemetrySettings(),
  // The deployer's settings: telemetry reads pods and logs where the deployer applies.
  cluster: clusterSettingsFromEnv(),
}));

import 'reflect-metadata';
import { clusterSettingsFromEnv } from '@slipway/kube';
import { loadConfig, runUntilSignal } from '@slipway/runtime';
import { startTelemetry } from './service';

void runUntilSignal('telemetry', () => startTelemetry({
  ...loadConfig(),
  // The deployer's settings: telemetry reads pods and logs where the deployer applies.
  cluster: clusterSettingsFromEnv(),
}));

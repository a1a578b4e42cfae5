import 'reflect-metadata';
import { loadConfig, runUntilSignal } from '@slipway/runtime';
import { startTelemetry } from './service';

void runUntilSignal('telemetry', () => startTelemetry({
  ...loadConfig(),
  // The deployer's settings: telemetry reads pods and logs where the deployer applies.
  cluster: { kubeconfig: process.env.KUBECONFIG || undefined, context: process.env.SLIPWAY_KUBE_CONTEXT || undefined, namespace: process.env.SLIPWAY_KUBE_NAMESPACE || undefined },
}));

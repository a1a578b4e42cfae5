import 'reflect-metadata';
import { clusterSettingsFromEnv } from '@slipway/kube';
import { loadConfig, runUntilSignal } from '@slipway/runtime';
import { startDeployer } from './service';

void runUntilSignal('deployer', () => startDeployer({
  ...loadConfig(),
  adminToken: process.env.SLIPWAY_ADMIN_TOKEN,
  cluster: clusterSettingsFromEnv(),
}));

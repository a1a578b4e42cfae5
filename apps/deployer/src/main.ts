import 'reflect-metadata';
import { loadConfig, runUntilSignal } from '@slipway/runtime';
import { startDeployer } from './service';

void runUntilSignal('deployer', () => startDeployer({
  ...loadConfig(),
  adminToken: process.env.SLIPWAY_ADMIN_TOKEN,
  cluster: { kubeconfig: process.env.KUBECONFIG || undefined, context: process.env.SLIPWAY_KUBE_CONTEXT || undefined, namespace: process.env.SLIPWAY_KUBE_NAMESPACE || undefined },
}));

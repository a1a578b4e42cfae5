import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import { startConfigStore } from '../../config-store/src/service';
import { startDeployer } from '../../deployer/src/service';
import { startTelemetry } from '../../telemetry/src/service';
import { startGateway, type RunningGateway } from '../src/server';

/** Tests read response bodies loosely; the assertions are the type checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export const get = (url: string, init?: RequestInit): Promise<LooseResponse> => fetch(url, init);

export const json = { 'content-type': 'application/json' };

/** A DeploymentTarget document, as the Ververica dialect takes it. */
export const target = (name: string, ns = 'staging'): string =>
  JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name }, spec: { kubernetes: { namespace: ns } } });

export interface Stack {
  url: string;
  adminToken: string;
  databaseUrl: string;
  busPrefix: string;
  services: RunningService[];
  gateway: RunningGateway;
  /** fetch against the gateway, with the admin token unless headers say otherwise. */
  request(path: string, init?: RequestInit): Promise<LooseResponse>;
  stop(): Promise<void>;
}

/** Every app of Slipway, in this process, on a database and bus prefix of its own. */
export async function startStack(options: { commandWaitMs?: number; kubeNamespace?: string; requestTimeoutMs?: number; auditMemoryMib?: number; uploadLimit?: number } = {}): Promise<Stack> {
  const databaseUrl = await createTestDatabase();
  const busPrefix = testBusPrefix();
  const adminToken = randomBytes(24).toString('base64url');
  const config = { databaseUrl, natsUrl: natsUrl(), busPrefix };
  const services = [await startDeployer({
    ...config, adminToken,
    // The deployer acts on the test run's control plane only for files that name a namespace of their own.
    cluster: options.kubeNamespace ? { kubeconfig: process.env.KUBECONFIG, namespace: options.kubeNamespace } : undefined,
  }), await startConfigStore(config), await startTelemetry({
    ...config,
    // Telemetry reads pods and their logs where the deployer applies.
    cluster: options.kubeNamespace ? { kubeconfig: process.env.KUBECONFIG, namespace: options.kubeNamespace } : undefined,
  })];
  const gateway = await startGateway({
    natsUrl: natsUrl(), busPrefix, host: '127.0.0.1', port: 0, bodyLimit: 1024 * 1024, uploadLimit: options.uploadLimit, commandWaitMs: options.commandWaitMs ?? 5_000, requestTimeoutMs: options.requestTimeoutMs, auditMemoryMib: options.auditMemoryMib,
  });
  return {
    url: gateway.url, adminToken, databaseUrl, busPrefix, services, gateway,
    request: (path, init = {}) => fetch(`${gateway.url}${path}`, {
      ...init, headers: { authorization: `Bearer ${adminToken}`, ...(init.headers as Record<string, string> | undefined) },
    }),
    async stop() {
      await gateway.close();
      for (const service of services.reverse()) await service.close();
    },
  };
}

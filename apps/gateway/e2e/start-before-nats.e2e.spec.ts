import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, eventually, laterProxy, natsUrl, testBusPrefix } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startConfigStore } from '../../config-store/src/service';
import { startDeployer } from '../../deployer/src/service';
import { startTelemetry } from '../../telemetry/src/service';
import { startGateway } from '../src/server';

/**
 * Each app started while NATS is not reachable (restarting, or started after it) waits for
 * it and comes up, as it does for Postgres: it exited, and under npm start each exit counted
 * against its restarts (chaos probe: one crash during a NATS restart cost four of six).
 */
describe('an app started before NATS answers', () => {
  let kube: TestNamespace;
  beforeAll(async () => { kube = await createTestNamespace('nats-later'); });
  afterAll(() => kube?.dispose());

  const starters: Record<string, (natsUrl: string) => Promise<{ close(): Promise<void> }>> = {
    deployer: async (url) => startDeployer({
      databaseUrl: await createTestDatabase(), natsUrl: url, busPrefix: testBusPrefix(), adminToken: randomBytes(24).toString('base64url'),
      cluster: { kubeconfig: process.env.KUBECONFIG, namespace: kube.namespace },
    }),
    'config-store': async (url) => startConfigStore({ databaseUrl: await createTestDatabase(), natsUrl: url, busPrefix: testBusPrefix() }),
    telemetry: async (url) => startTelemetry({ databaseUrl: await createTestDatabase(), natsUrl: url, busPrefix: testBusPrefix() }),
    gateway: async (url) => startGateway({ natsUrl: url, busPrefix: testBusPrefix(), host: '127.0.0.1', port: 0, bodyLimit: 1024 * 1024, commandWaitMs: 5_000 }),
  };

  it.each(Object.keys(starters))('%s waits for NATS, and starts once it answers', async (app) => {
    const proxy = await laterProxy(new URL(natsUrl()));
    let settled: 'started' | 'failed' | undefined;
    try {
      const starting = starters[app]!(`nats://127.0.0.1:${proxy.port}`);
      void starting.then(() => { settled = 'started'; }, () => { settled = 'failed'; });
      // given NATS not there for a few of its tries
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(settled).toBeUndefined();
      // when it answers, the app starts
      await proxy.open();
      await eventually(() => expect(settled).toBe('started'), 20_000);
      await (await starting).close();
    } finally {
      proxy.close();
    }
  }, 60_000);
});

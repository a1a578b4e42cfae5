import { randomUUID } from 'node:crypto';
import { Bus, CommandBus } from '@slipway/bus';
import { GetCommandStatus, PushConfigs, type Actor } from '@slipway/contracts';
import { getObject, unwrap, type KubeObject } from '@slipway/kube';
import { eventually, natsUrl } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startConfigStore } from '../../config-store/src/service';
import { startStack, type Stack } from './stack';
import { apiServer, callInstabase, databaseStatefulSet, form } from './instabase-fixtures';

/**
 * Cluster commands that change workloads, sent at the same time on the real control plane:
 * the deployer takes them one at a time per namespace, so whichever lands first, the
 * workloads end where the recorded state says. And a push the config-store could not
 * answer is not recorded as refused: delivered again, it is carried out.
 */

/** ConfigMaps whose names sort before the workloads', so a push applies them first: its applies take a while. */
const CONFIG_MAPS = Array.from({ length: 20 }, (_, i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-${String(i).padStart(2, '0')}
data:
  INDEX: "${i}"
`);
const BASE = [...CONFIG_MAPS, apiServer('23.07.0', 2), databaseStatefulSet(3)].join('---\n');
/** The replicas the configs ask for, which hibernation remembers and revive restores. */
const CONFIGURED = { api: 2, db: 3 };

type Workload = KubeObject & { spec: { replicas: number } };

describe('Instabase: cluster commands sent together', () => {
  let kube: TestNamespace;
  let stack: Stack;
  let bus: Bus;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const post = async (path: string) => {
    const response = await call(path, { method: 'POST' });
    return { path, status: response.status, body: await response.json() };
  };
  const replicas = async () => {
    const read = async (kind: string, name: string) =>
      unwrap(await getObject<Workload>(kube.client, { apiVersion: 'apps/v1', kind, metadata: { name, namespace: kube.namespace } })).spec.replicas;
    return { api: await read('Deployment', 'deployment-api-server'), db: await read('StatefulSet', 'statefulset-db') };
  };
  /**
   * Sends both requests without waiting for the first. `first` is issued first; which one the
   * deployer takes first is not controlled (each order is asked for twice): every order must
   * end the same.
   */
  const together = async (first: string, second: string) => {
    const answers = await Promise.all([post(first), post(second)]);
    for (const answer of answers) expect({ path: answer.path, status: answer.status }).toEqual({ path: answer.path, status: 200 });
    return answers;
  };
  /** Awake, with every config applied: each round starts from here, whatever an earlier one left. */
  const reset = async () => {
    expect([200, 409]).toContain((await post('/deployment/revive')).status);
    expect((await post('/deployment/update')).status).toBe(200);
    expect(await replicas()).toEqual(CONFIGURED);
  };

  beforeAll(async () => {
    kube = await createTestNamespace('ibr');
    stack = await startStack({ commandWaitMs: 30_000, kubeNamespace: kube.namespace });
    bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: BASE }).toString() });
    expect(upload.status).toBe(200);
    expect(await replicas()).toEqual(CONFIGURED);
  });
  afterAll(async () => {
    await bus?.close();
    await stack?.stop();
    await kube?.dispose();
  });

  const orders = [['push sent first', true], ['revive sent first', false], ['push sent first', true], ['revive sent first', false]] as const;
  it.each(orders)('a push and a revive of a hibernated cluster (%s) end awake, at the remembered replicas', async (_order, pushFirst) => {
    // given a hibernated cluster
    await reset();
    expect((await post('/deployment/hibernate')).status).toBe(200);
    expect(await replicas()).toEqual({ api: 0, db: 0 });

    // when a push of every config and a revive are sent together
    await (pushFirst ? together('/deployment/update', '/deployment/revive') : together('/deployment/revive', '/deployment/update'));

    // then the workloads run at the replicas hibernation remembered (which the configs ask for)
    expect(await replicas()).toEqual(CONFIGURED);
    // and the cluster is recorded awake: there is nothing left to revive
    expect((await post('/deployment/revive')).status).toBe(409);
  });

  const hibernations = [['push sent first', true], ['hibernate sent first', false], ['push sent first', true], ['hibernate sent first', false]] as const;
  it.each(hibernations)('a push and a hibernation of a running cluster (%s) end asleep, and revive restores the replicas', async (_order, pushFirst) => {
    // given a running cluster
    await reset();

    // when a push of every config and a hibernation are sent together
    await (pushFirst ? together('/deployment/update', '/deployment/hibernate') : together('/deployment/hibernate', '/deployment/update'));

    // then every workload is at 0
    expect(await replicas()).toEqual({ api: 0, db: 0 });
    // and the cluster is recorded hibernated with the configs' replicas: revive brings them back
    expect((await post('/deployment/revive')).status).toBe(200);
    expect(await replicas()).toEqual(CONFIGURED);
  });

  it('holds a push the config-store cannot answer, and carries it out once it is back, with nobody sending it again', async () => {
    const commands = new CommandBus(bus);
    const status = async (commandId: string) => unwrapReply(await commands.query(GetCommandStatus, { commandId }));
    const pushId = `${randomUUID()}-push`;
    const actor: Actor = { principal: 'admin', kind: 'token' };

    // given a config-store that does not answer
    await stack.services[1]!.close();
    try {
      // when a push is sent (as a write hands one over), it is held, nothing recorded of it: neither refused nor given up
      const sent = await commands.send(PushConfigs, { objects: ['cm-00'] }, { actor, commandId: pushId, waitMs: 2_000 });
      expect(sent.status).toBe('accepted');
      expect(await status(pushId)).toMatchObject({ commandId: pushId, status: 'pending' });
    } finally {
      stack.services[1] = await startConfigStore({ databaseUrl: stack.databaseUrl, natsUrl: natsUrl(), busPrefix: stack.busPrefix });
    }

    // then, the config-store back, the push happens (retried in place, its pauses up to 30 s)
    await eventually(async () => expect(await status(pushId)).toMatchObject({ status: 'succeeded', outcome: { ok: true, value: { successfulApply: ['cm-00'], failedToApply: {} } } }), 60_000);
  }, 90_000);
});

function unwrapReply<T>(reply: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}

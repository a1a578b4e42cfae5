import { clusterStreamId, HibernatedReplicasChanged, type MaterializedView } from '@slipway/contracts';
import { applyObject, unwrap } from '@slipway/kube';
import { accessTo, deployment, handlerRig, type HandlerRig } from './handlers.testing';
import { HibernateClusterHandler } from './hibernate-cluster.handler';
import { PushConfigsHandler } from './push-configs.handler';
import { ReviveClusterHandler } from './revive-cluster.handler';

/**
 * A push while hibernated sends workloads at 0 replicas, so the API server never judges the
 * replicas their configs state: those are what revive restores, and are judged here instead.
 */
describe('a push while hibernated', () => {
  let rig: HandlerRig;

  beforeAll(async () => {
    rig = await handlerRig('hibernated');
    unwrap(await applyObject(rig.kube.client, deployment(rig.kube.namespace, 'api', 2)));
  });
  afterAll(() => rig?.close());

  const viewWith = (replicas: unknown): MaterializedView => {
    const config = deployment(rig.kube.namespace, 'api', 0);
    return { objectName: 'deployment-api', releaseVersion: '1', patchVersion: null, materializedSeq: 1, config: JSON.stringify({ ...config, spec: { ...config.spec as object, replicas } }) } as unknown as MaterializedView;
  };
  const pushOf = (view: MaterializedView) => new PushConfigsHandler(rig.db, accessTo({ ...rig.access.require(), ask: async () => [view] as never }));
  const replicasChanges = async () => (await rig.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = $2', [clusterStreamId(rig.kube.namespace), HibernatedReplicasChanged.type],
  )).rows[0]!.n;

  it('refuses, for that workload, replicas the API server would refuse, records none of them, and revive restores what it knew', async () => {
    await new HibernateClusterHandler(rig.db, rig.access).handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(0);

    // when configs stating replicas no workload can have are pushed, each is refused by name, with why
    for (const [replicas, shown] of [[-1, '-1'], [1.5, '1.5'], [2 ** 31, String(2 ** 31)], ['hunter2', 'a string'], [{ DB_PASSWORD: 'hunter2' }, 'a map']] as const) {
      const answer = await pushOf(viewWith(replicas)).handle(rig.envelope({ objects: ['deployment-api'] }));
      expect(answer.successfulApply).toEqual([]);
      expect(answer.failedToApply['deployment-api']).toContain(`spec.replicas: Invalid value: ${shown}:`);
      expect(answer.failedToApply['deployment-api']).not.toContain('hunter2');
    }
    // and none is what revive restores
    expect(await replicasChanges()).toBe(0);
    await new ReviveClusterHandler(rig.db, rig.access).handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(2);

    // a config stating a valid count while hibernated is what revive restores, as before
    await new HibernateClusterHandler(rig.db, rig.access).handle(rig.envelope());
    expect((await pushOf(viewWith(3)).handle(rig.envelope({ objects: ['deployment-api'] }))).successfulApply).toEqual(['deployment-api']);
    expect(await rig.replicas('api')).toBe(0);
    await new ReviveClusterHandler(rig.db, rig.access).handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(3);
  });
});

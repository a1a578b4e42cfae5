import { commandContext, isTransient } from '@slipway/bus';
import { clusterStreamId, PauseAutoscaling } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { applyObject, deleteObject, findObject, unwrap, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { recreatable, type Autoscaler } from './autoscalers';
import { clusterDecider } from './cluster.decider';
import { autoscaler, deletesOnlyAsDryRuns, handlerRig, whileRefused, type HandlerRig } from './handlers.testing';
import { PauseAutoscalingHandler } from './pause-autoscaling.handler';

/**
 * A pause finished after its record (redriven once its deletes were refused, or delivered
 * again after the deployer stopped) deletes only the autoscalers it judged: one deleted and
 * made again by hand under the same name since is no autoscaler it recorded, and a later
 * resume would put the recorded spec in its place with nothing left of its own.
 */
describe('a pause finished late', () => {
  let rig: HandlerRig;
  let pause: PauseAutoscalingHandler;

  beforeAll(async () => {
    rig = await handlerRig('pause-late');
    pause = new PauseAutoscalingHandler(rig.db, rig.access);
  });
  afterAll(() => rig?.close());

  const live = async (name: string) => unwrap(await findObject<Autoscaler & { spec: { maxReplicas: number } }>(rig.kube.client, autoscaler(rig.kube.namespace, name)));

  /** The autoscaler deleted by hand, then made again under its name (kubectl autoscale: another spec, another manager); its uid. */
  const madeAgainByHand = async (hpa: KubeObject) => {
    unwrap(await deleteObject(rig.kube.client, hpa));
    await eventually(async () => expect(await rig.exists(hpa)).toBe(false));
    const byHand = { ...hpa, spec: { ...hpa.spec as object, maxReplicas: 2 } };
    const path = unwrap(await rig.kube.client.http.resourcePath(byHand, 'read'));
    unwrap(await rig.kube.client.http.send({ method: 'PATCH', path, query: { fieldManager: 'kubectl-autoscale' }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(byHand) }));
    return (await live(hpa.metadata.name))!.metadata.uid;
  };

  it('redriven after its deletes were refused, leaves an autoscaler made by hand under the name since', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'web');
    unwrap(await applyObject(rig.kube.client, hpa));
    // Deletes of these autoscalers pass as dry runs only: the pause is recorded, then refused.
    // A refused probe stays, and is paused with web (its uid unchanged, it is deleted when redriven).
    const { refused, probe } = deletesOnlyAsDryRuns(rig, { resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling', name: 'web', message: 'dry runs only' },
      (name) => autoscaler(rig.kube.namespace, name));
    const sent = rig.envelope();
    await whileRefused(rig, refused, probe, async () => {
      // its deliveries fail for good (dead-lettered after a few), the autoscaler still there
      const failed = await pause.handle(sent).then(() => undefined, (error: unknown) => error);
      expect(failed).toBeInstanceOf(Error);
      expect(isTransient(failed)).toBe(false);
      expect(await rig.exists(hpa)).toBe(true);
    });
    // given, the policy lifted, the autoscaler deleted and made again by hand
    const byHand = await madeAgainByHand(hpa);

    // when the pause is redriven (under its own id), it is answered as recorded and the hand-made one stays
    expect(await pause.handle(sent)).toBeNull();
    expect((await live('web'))?.metadata.uid).toBe(byHand);
    expect((await live('web'))?.spec.maxReplicas).toBe(2);
  });

  it('delivered again after the deployer stopped between its record and its deletes, leaves an autoscaler made by hand under the name since', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'crashed');
    unwrap(await applyObject(rig.kube.client, hpa));
    const judged = (await live('crashed'))!;
    // given the pause recorded as the handler records it (the autoscaler and its uid), the deployer then stopping
    const sent = rig.envelope();
    expect(await handleCommand(rig.db, commandContext(sent), {
      subject: PauseAutoscaling.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'pause-autoscaling' as const, controllers: { crashed: recreatable(judged) }, uids: { crashed: judged.metadata.uid! }, now: sent.issuedAt }),
      result: () => null,
    })).toEqual({ ok: true, value: null });
    const byHand = await madeAgainByHand(hpa);

    // when it is delivered again, the hand-made one stays
    expect(await pause.handle(sent)).toBeNull();
    expect((await live('crashed'))?.metadata.uid).toBe(byHand);
  });
});

import { commandContext, isTransient } from '@slipway/bus';
import { AutoscalingResumeFinished, clusterStreamId, DeletePod, HibernateCluster, PauseAutoscaling, ResumeAutoscaling, ReviveCluster, type CommandEnvelope, type MaterializedView } from '@slipway/contracts';
import { handleCommand, noteDeadLettered, readCommandStatus } from '@slipway/event-log';
import { applyObject, deleteObject, findObject, unwrap, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { readClusterState } from './cluster-command';
import { clusterDecider } from './cluster.decider';
import { DeletePodHandler } from './delete-pod.handler';
import { recreatable, type Autoscaler } from './autoscalers';
import { accessTo, autoscaler, deletesOnlyAsDryRuns, deployment, handlerRig, whileRefused, type HandlerRig } from './handlers.testing';
import { HibernateClusterHandler } from './hibernate-cluster.handler';
import { PauseAutoscalingHandler } from './pause-autoscaling.handler';
import { PushConfigsHandler } from './push-configs.handler';
import { ResumeAutoscalingHandler } from './resume-autoscaling.handler';
import { ReviveClusterHandler } from './revive-cluster.handler';
import { scaleWorkload } from './workloads';

/**
 * A command delivered again after a later command (a lost ack, or a resend after JetStream's
 * dedupe window) answers what it answered the first time and does not act again: acting
 * would undo the later command on the cluster while the log still says it happened.
 */
describe('cluster commands delivered again', () => {
  let rig: HandlerRig;
  let hibernate: HibernateClusterHandler;
  let revive: ReviveClusterHandler;
  let pause: PauseAutoscalingHandler;
  let resume: ResumeAutoscalingHandler;

  beforeAll(async () => {
    rig = await handlerRig('redeliver');
    hibernate = new HibernateClusterHandler(rig.db, rig.access);
    revive = new ReviveClusterHandler(rig.db, rig.access);
    pause = new PauseAutoscalingHandler(rig.db, rig.access);
    resume = new ResumeAutoscalingHandler(rig.db, rig.access);
    unwrap(await applyObject(rig.kube.client, deployment(rig.kube.namespace, 'api', 2)));
  });
  afterAll(() => rig?.close());
  /** Another command recording on the namespace (a push queued behind the one cut short runs first). */
  const anotherRecords = async () => {
    const other = rig.envelope();
    const applied = { objectName: 'unrelated', releaseVersion: '1.0.0', patchVersion: null, manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated' } } };
    expect(await handleCommand(rig.db, commandContext(other), {
      subject: 'test.push', streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'record-applied' as const, applied: [applied], now: other.issuedAt }), result: () => null,
    })).toEqual({ ok: true, value: null });
  };
  /** How many events the command recorded on the namespace's stream. */
  const recordedBy = async (sent: CommandEnvelope) => (await rig.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND metadata->>'commandId' = $2", [clusterStreamId(rig.kube.namespace), sent.commandId],
  )).rows[0]!.n;

  it('a hibernation delivered again after a revive leaves the workloads running', async () => {
    // given a hibernation, then a revive
    const h1 = rig.envelope();
    const first = await hibernate.handle(h1);
    expect(await rig.replicas('api')).toBe(0);
    await revive.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(2);

    // when the hibernation is delivered again
    const again = await hibernate.handle(h1);

    // then it answers as before and the workloads keep running, as the log says they do
    expect(again).toEqual(first);
    expect(await rig.replicas('api')).toBe(2);
    // and a later hibernation and revive still find and restore them
    await hibernate.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(0);
    await revive.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(2);
  });

  it('a revive delivered again after a new hibernation leaves the workloads asleep', async () => {
    // given a hibernation, a revive, and another hibernation
    await hibernate.handle(rig.envelope());
    const r2 = rig.envelope();
    await revive.handle(r2);
    await hibernate.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(0);

    // when the revive is delivered again, the workloads stay at 0
    await revive.handle(r2);
    expect(await rig.replicas('api')).toBe(0);
    // and the hibernation is still there to revive
    await revive.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(2);
  });

  it('a hibernation recorded but cut short before scaling is finished when delivered again, and no longer reads dead-lettered', async () => {
    // given a hibernation whose intent was recorded, and the deployer stopped before it scaled
    // (its deliveries then dead-lettered, say: the bus noted it so)
    const h1 = rig.envelope();
    const recorded = await handleCommand(rig.db, commandContext(h1), {
      subject: HibernateCluster.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'hibernate' as const, replicas: { 'Deployment/api': 2 }, now: h1.issuedAt }), result: () => null,
    });
    expect(recorded).toEqual({ ok: true, value: null });
    expect(await rig.replicas('api')).toBe(2);
    await noteDeadLettered(rig.db, h1.commandId);
    expect(await readCommandStatus(rig.db, h1.commandId)).toHaveProperty('deadLettered');
    await anotherRecords();

    // when it is delivered again (sent again under its id), after another command recorded, the workloads are scaled to 0, as the log says
    expect(await hibernate.handle(h1)).toBeNull();
    expect(await rig.replicas('api')).toBe(0);
    // and its status no longer says an operator must redrive it
    expect(await readCommandStatus(rig.db, h1.commandId)).not.toHaveProperty('deadLettered');
    await revive.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(2);
  });

  /** A revive whose intent was recorded, the deployer stopped before it scaled anything. */
  const reviveCutShort = async () => {
    const sent = rig.envelope();
    const recorded = await handleCommand(rig.db, commandContext(sent), {
      subject: ReviveCluster.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'revive' as const, now: sent.issuedAt }), result: () => null,
    });
    expect(recorded).toEqual({ ok: true, value: null });
    return sent;
  };

  it('a revive recorded but cut short before scaling is finished when delivered again', async () => {
    // given a hibernation, and a revive recorded but not carried out
    await hibernate.handle(rig.envelope());
    const r1 = await reviveCutShort();
    expect(await rig.replicas('api')).toBe(0);
    await anotherRecords();

    // when it is delivered again, after another command recorded, the workloads are scaled back, as the log says
    expect(await revive.handle(r1)).toBeNull();
    expect(await rig.replicas('api')).toBe(2);
  });

  it('a hibernation after a revive cut short keeps the replicas that revive restores, so the next revive brings them back', async () => {
    // given a hibernation, and a revive recorded but cut short before it scaled anything
    await hibernate.handle(rig.envelope());
    const r1 = await reviveCutShort();
    expect(await rig.replicas('api')).toBe(0);
    // when the cluster is hibernated again before the revive is delivered again
    await hibernate.handle(rig.envelope());
    // then the revive, delivered again, leaves it asleep (the hibernation came after it)
    await revive.handle(r1);
    expect(await rig.replicas('api')).toBe(0);
    // and the next revive restores what the first one was to restore, not the 0 it left
    await revive.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(2);
    // a revive carried out is marked finished: a later hibernation keeps the live replicas again
    await scaleWorkload(rig.kube.client, rig.kube.namespace, 'Deployment/api', 4);
    await hibernate.handle(rig.envelope());
    await revive.handle(rig.envelope());
    expect(await rig.replicas('api')).toBe(4);
    await scaleWorkload(rig.kube.client, rig.kube.namespace, 'Deployment/api', 2);
  });

  it('a revive cut short leaves, delivered again, a workload a push set since at what the push set', async () => {
    await hibernate.handle(rig.envelope());
    const r1 = await reviveCutShort();
    // a push of api since, awake (the log says revived) at 3
    const push = rig.envelope();
    const applied = { objectName: 'api', releaseVersion: '1.0.0', patchVersion: null, manifest: deployment(rig.kube.namespace, 'api', 3) as unknown as Record<string, unknown> };
    await handleCommand(rig.db, commandContext(push), {
      subject: 'test.push', streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'record-applied' as const, applied: [applied], now: push.issuedAt }), result: () => null,
    });
    await scaleWorkload(rig.kube.client, rig.kube.namespace, 'Deployment/api', 3);

    await revive.handle(r1);
    expect(await rig.replicas('api')).toBe(3);
    await scaleWorkload(rig.kube.client, rig.kube.namespace, 'Deployment/api', 2);
  });

  it('a pause recorded but cut short before deleting is finished when delivered again', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'api');
    unwrap(await applyObject(rig.kube.client, hpa));
    // given a pause whose intent was recorded, and the deployer stopped before it deleted
    // (recorded without uids, as before 2026-12-07: its deletes go by name)
    const p1 = rig.envelope();
    const recorded = await handleCommand(rig.db, commandContext(p1), {
      subject: PauseAutoscaling.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'pause-autoscaling' as const, controllers: { api: hpa as unknown as Record<string, unknown> }, now: p1.issuedAt }), result: () => null,
    });
    expect(recorded).toEqual({ ok: true, value: null });
    await anotherRecords();

    // when it is delivered again, after another command recorded, the autoscaler is deleted, as the log says; resume brings it back
    expect(await pause.handle(p1)).toBeNull();
    expect(await rig.exists(hpa)).toBe(false);
    await resume.handle(rig.envelope());
    expect(await rig.exists(hpa)).toBe(true);
  });

  it('a pause cut short leaves, delivered again, an autoscaler a push re-created since', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'web');
    unwrap(await applyObject(rig.kube.client, hpa));
    const p1 = rig.envelope();
    await handleCommand(rig.db, commandContext(p1), {
      subject: PauseAutoscaling.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'pause-autoscaling' as const, controllers: { web: hpa as unknown as Record<string, unknown> }, now: p1.issuedAt }), result: () => null,
    });
    // given a push that applied the autoscaler since: its pushed spec stands
    const push = rig.envelope();
    await handleCommand(rig.db, commandContext(push), {
      subject: 'test.push', streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'record-applied' as const, applied: [{ objectName: 'web-hpa', releaseVersion: '1.0.0', patchVersion: null, manifest: hpa as unknown as Record<string, unknown> }], now: push.issuedAt }),
      result: () => null,
    });

    expect(await pause.handle(p1)).toBeNull();
    expect(await rig.exists(hpa)).toBe(true);
  });

  it('a hibernation the API server refuses to scale is refused, and not recorded', async () => {
    const refused = { resource: 'deployments/scale', apiGroup: 'apps', operation: 'UPDATE' as const, allowedWhen: 'false', message: 'scaling is frozen' };
    const probe = async () => {
      try {
        await scaleWorkload(rig.kube.client, rig.kube.namespace, 'Deployment/api', 0, true);
        return false;
      } catch {
        return true;
      }
    };
    await whileRefused(rig, refused, probe, async () => {
      const sent = rig.envelope();
      await expect(hibernate.handle(sent)).rejects.toMatchObject({ code: 'unavailable', final: true, message: expect.stringContaining('scaling is frozen') });
      expect(await rig.replicas('api')).toBe(2);
      expect(await recordedBy(sent)).toBe(0);
    });
  });

  it('a pause the API server refuses to carry out is refused, and not recorded', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'api');
    unwrap(await applyObject(rig.kube.client, hpa));
    const refused = { resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling', operation: 'DELETE' as const, allowedWhen: 'false', message: 'autoscalers stay' };
    await whileRefused(rig, refused, async () => !(await deleteObject(rig.kube.client, hpa, { dryRun: true })).ok, async () => {
      const sent = rig.envelope();
      await expect(pause.handle(sent)).rejects.toMatchObject({ code: 'unavailable', final: true, message: expect.stringContaining('autoscalers stay') });
      expect(await rig.exists(hpa)).toBe(true);
      expect(await recordedBy(sent)).toBe(0);
    });
    unwrap(await deleteObject(rig.kube.client, hpa));
  });

  it('a pause delivered again after a resume leaves the autoscalers in place', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'api');
    unwrap(await applyObject(rig.kube.client, hpa));
    // given a pause, then a resume
    const p1 = rig.envelope();
    const first = await pause.handle(p1);
    expect(await rig.exists(hpa)).toBe(false);
    await resume.handle(rig.envelope());
    expect(await rig.exists(hpa)).toBe(true);

    // when the pause is delivered again, it answers as before and the autoscaler stays
    expect(await pause.handle(p1)).toEqual(first);
    expect(await rig.exists(hpa)).toBe(true);
  });

  it('a resume delivered again after a new pause leaves the autoscalers paused', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'api');
    unwrap(await applyObject(rig.kube.client, hpa));
    // given a pause, a resume, and another pause
    await pause.handle(rig.envelope());
    const u2 = rig.envelope();
    await resume.handle(u2);
    await pause.handle(rig.envelope());
    expect(await rig.exists(hpa)).toBe(false);

    // when the resume is delivered again, the autoscaler stays paused
    await resume.handle(u2);
    expect(await rig.exists(hpa)).toBe(false);
    // and a new resume re-creates it
    await resume.handle(rig.envelope());
    expect(await rig.exists(hpa)).toBe(true);
  });

  /** The autoscaler as the API server holds it (its annotations, its maxReplicas). */
  const liveAutoscaler = async (name: string) => unwrap(await findObject<KubeObject & { spec: { maxReplicas: number } }>(rig.kube.client, autoscaler(rig.kube.namespace, name)));

  /**
   * A resume of `name` recorded as the handler records it, the deployer stopping before it
   * re-created anything; the autoscaler as its pause recorded it (an older version's copy).
   */
  const resumeRecordedOnly = async (name: string) => {
    const sent = rig.envelope();
    const { pausedAutoscalers } = await readClusterState(rig.db, rig.kube.namespace);
    expect(await handleCommand(rig.db, commandContext(sent), {
      subject: ResumeAutoscaling.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'resume-autoscaling' as const, controllers: [name], autoscalers: { [name]: pausedAutoscalers[name]! }, now: sent.issuedAt }), result: () => null,
    })).toEqual({ ok: true, value: null });
    return sent;
  };

  /** An autoscaler `name` paused, then a resume of it cut short (resumeRecordedOnly). */
  const resumeCutShort = async (name: string) => {
    const hpa = autoscaler(rig.kube.namespace, name);
    unwrap(await applyObject(rig.kube.client, hpa));
    await pause.handle(rig.envelope());
    return { hpa, r1: await resumeRecordedOnly(name) };
  };

  it('a resume recorded but cut short before re-creating is finished when delivered again', async () => {
    // given a resume whose intent was recorded, and the deployer stopped before it re-created anything
    const { hpa, r1 } = await resumeCutShort('cut');
    expect(await rig.exists(hpa)).toBe(false);
    await anotherRecords();

    // when it is delivered again, after another command recorded, the autoscaler is re-created, as the log says
    expect(await resume.handle(r1)).toBeNull();
    expect(await rig.exists(hpa)).toBe(true);
    unwrap(await deleteObject(rig.kube.client, hpa));
  });

  it('a pause after a resume cut short records what that resume had not re-created, and the resume, delivered again, leaves it paused', async () => {
    // given a resume recorded, the deployer stopped before it re-created anything
    const { hpa, r1 } = await resumeCutShort('race');
    // when autoscaling is paused meanwhile (nothing is live to delete)
    const p2 = rig.envelope();
    await pause.handle(p2);
    expect(await recordedBy(p2)).toBe(1);
    // then the resume, delivered again, leaves it paused
    await resume.handle(r1);
    expect(await rig.exists(hpa)).toBe(false);
    // and a later resume still has it to re-create
    await resume.handle(rig.envelope());
    expect(await rig.exists(hpa)).toBe(true);
    unwrap(await deleteObject(rig.kube.client, hpa));
  });

  it('a resume cut short, delivered again after a pause and another resume cut short, leaves the later resume its work to finish', async () => {
    // given a resume cut short, a pause that takes back what it had not re-created, and a second resume cut short
    const { hpa, r1 } = await resumeCutShort('twice');
    await pause.handle(rig.envelope());
    const r2 = await resumeRecordedOnly('twice');
    // when the first resume is delivered again, it re-creates nothing and records nothing
    const finishes = async () => (await rig.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = $2', [clusterStreamId(rig.kube.namespace), AutoscalingResumeFinished.type])).rows[0]!.n;
    const before = await finishes();
    await resume.handle(r1);
    expect(await rig.exists(hpa)).toBe(false);
    expect(await finishes()).toBe(before);
    // and the second, delivered again, still finishes: the autoscaler stands, as the log says
    await resume.handle(r2);
    expect(await rig.exists(hpa)).toBe(true);
    unwrap(await deleteObject(rig.kube.client, hpa));
  });

  it('an autoscaler deleted by hand after a finished resume stays deleted through the next pause and resume', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'gone');
    unwrap(await applyObject(rig.kube.client, hpa));
    await pause.handle(rig.envelope());
    const r1 = rig.envelope();
    await resume.handle(r1);
    expect(await rig.exists(hpa)).toBe(true);
    // given it deleted by hand (kubectl delete hpa)
    unwrap(await deleteObject(rig.kube.client, hpa));
    await eventually(async () => expect(await rig.exists(hpa)).toBe(false));
    // (the resume delivered again, its ack lost, does not bring it back either)
    await resume.handle(r1);
    expect(await rig.exists(hpa)).toBe(false);
    // when autoscaling is paused and resumed again, it is not among what the pause recorded, and does not come back
    const p2 = rig.envelope();
    await pause.handle(p2);
    const { rows } = await rig.db.query<{ names: string[] }>(
      "SELECT array(SELECT jsonb_object_keys(data->'controllers')) AS names FROM events WHERE stream_id = $1 AND metadata->>'commandId' = $2", [clusterStreamId(rig.kube.namespace), p2.commandId]);
    expect(rows.flatMap((r) => r.names)).not.toContain('gone');
    await resume.handle(rig.envelope());
    expect(await rig.exists(hpa)).toBe(false);
  });

  it('a resume puts back, as its pause recorded it, an autoscaler someone else made under its name since', async () => {
    unwrap(await applyObject(rig.kube.client, autoscaler(rig.kube.namespace, 'manual')));
    await pause.handle(rig.envelope());
    // given another autoscaler of that name, made by hand since (kubectl autoscale: another field manager)
    const byHand = { ...autoscaler(rig.kube.namespace, 'manual'), spec: { ...autoscaler(rig.kube.namespace, 'manual').spec as object, maxReplicas: 2 } };
    const path = unwrap(await rig.kube.client.http.resourcePath(byHand, 'read'));
    unwrap(await rig.kube.client.http.send({ method: 'PATCH', path, query: { fieldManager: 'kubectl-autoscale' }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(byHand) }));
    expect((await liveAutoscaler('manual'))?.spec.maxReplicas).toBe(2);

    // when autoscaling is resumed, the recorded one stands again
    await resume.handle(rig.envelope());
    expect((await liveAutoscaler('manual'))?.spec.maxReplicas).toBe(3);
    unwrap(await deleteObject(rig.kube.client, byHand));
  });

  it('a pause records no secret value of an autoscaler\'s annotations, and resume re-creates it with them', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'annotated');
    // (and one annotation holding a token's mark, copied from the log: kept as it is, not refused)
    hpa.metadata = { ...hpa.metadata, annotations: { 'db-password': 'HpaSecret-4821', webhook: 'https://bot:HpaUrlPw-9917@hooks.example/x', owner: 'team-a', copied: 'slipway-sealed:nonexistent' } };
    // and a secret-named label in a metric's selector
    const spec = hpa.spec as { metrics: unknown[] };
    spec.metrics = [...spec.metrics, { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { 'db-password': 'SelSecret-77' } } }, target: { type: 'Value', value: '10' } } }];
    unwrap(await applyObject(rig.kube.client, hpa));
    const p1 = rig.envelope();
    await pause.handle(p1);
    // the pause's event holds neither secret, the rest as it was
    const { rows: [recorded] } = await rig.db.query<{ data: string }>(
      "SELECT data::text AS data FROM events WHERE stream_id = $1 AND metadata->>'commandId' = $2", [clusterStreamId(rig.kube.namespace), p1.commandId]);
    expect(recorded!.data).not.toContain('HpaSecret-4821');
    expect(recorded!.data).not.toContain('HpaUrlPw-9917');
    expect(recorded!.data).not.toContain('SelSecret-77');
    expect(recorded!.data).toContain('team-a');
    // resumed, the autoscaler has its annotations as they were
    await resume.handle(rig.envelope());
    const back = await liveAutoscaler('annotated');
    expect(back?.metadata.annotations).toMatchObject({ 'db-password': 'HpaSecret-4821', webhook: 'https://bot:HpaUrlPw-9917@hooks.example/x', owner: 'team-a', copied: 'slipway-sealed:nonexistent' });
    expect(JSON.stringify(back?.spec)).toContain('"db-password":"SelSecret-77"');
    unwrap(await deleteObject(rig.kube.client, hpa));
  });

  it('a pause an older version recorded with its values in the clear: the resume and the pause after a resume cut short record none of them', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'older');
    hpa.metadata = { ...hpa.metadata, annotations: { 'db-password': 'OldClear-5531', owner: 'team-b' } };
    // given a pause recorded as versions before pauses sealed did: the annotation in the clear
    const recordOldPause = async () => {
      const sent = rig.envelope();
      expect(await handleCommand(rig.db, commandContext(sent), {
        subject: PauseAutoscaling.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
        command: () => ({ kind: 'pause-autoscaling' as const, controllers: { older: recreatable(hpa as Autoscaler) }, now: sent.issuedAt }), result: () => null,
      })).toEqual({ ok: true, value: null });
    };
    await recordOldPause();
    const eventText = async (sent: CommandEnvelope) => (await rig.db.query<{ data: string }>(
      "SELECT string_agg(data::text, ' ') AS data FROM events WHERE stream_id = $1 AND metadata->>'commandId' = $2", [clusterStreamId(rig.kube.namespace), sent.commandId])).rows[0]!.data;

    // when it is resumed, its event holds no secret, and the autoscaler is back as it was
    const r1 = rig.envelope();
    await resume.handle(r1);
    expect(await eventText(r1)).toContain('team-b');
    expect(await eventText(r1)).not.toContain('OldClear-5531');
    expect((await liveAutoscaler('older'))?.metadata.annotations).toMatchObject({ 'db-password': 'OldClear-5531' });
    unwrap(await deleteObject(rig.kube.client, hpa));
    await eventually(async () => expect(await rig.exists(hpa)).toBe(false));

    // and given such a pause with a resume cut short that copied it (as an older version did)
    await recordOldPause();
    await resumeRecordedOnly('older');
    // a pause records what that resume left without the secret, and a resume brings it back whole
    const p2 = rig.envelope();
    await pause.handle(p2);
    expect(await eventText(p2)).toContain('team-b');
    expect(await eventText(p2)).not.toContain('OldClear-5531');
    await resume.handle(rig.envelope());
    expect((await liveAutoscaler('older'))?.metadata.annotations).toMatchObject({ 'db-password': 'OldClear-5531', owner: 'team-b' });
    unwrap(await deleteObject(rig.kube.client, hpa));
  });

  it('a push issued before a pause does not re-create the autoscaler the pause took away, and leaves the resume its spec; one issued after it re-creates it', async () => {
    const hpa = autoscaler(rig.kube.namespace, 'late');
    const other = autoscaler(rig.kube.namespace, 'late-other');
    // The configs the push carries: another bound than the live autoscaler's (a patch written
    // before the pause), and a second autoscaler with a secret, repaused side by side.
    const pushed = { ...hpa, metadata: { name: 'late' }, spec: { ...hpa.spec as object, maxReplicas: 7 } };
    const pushedOther = { ...other, metadata: { name: 'late-other', annotations: { 'db-password': 'Repaused-6612' } } };
    const viewOf = (objectName: string, config: unknown) => ({ objectName, releaseVersion: '1', patchVersion: null, materializedSeq: 1, config: JSON.stringify(config) }) as unknown as MaterializedView;
    const view = viewOf('late-hpa', pushed);
    const both = [view, viewOf('late-other-hpa', pushedOther)];
    const push = new PushConfigsHandler(rig.db, accessTo({ ...rig.access.require(), ask: (async (_contract: unknown, payload: { objects?: string[] }) => both.filter((v) => payload.objects?.includes(v.objectName))) as never }));
    unwrap(await applyObject(rig.kube.client, hpa));
    unwrap(await applyObject(rig.kube.client, other));
    // given a push issued, then a pause issued and carried out before the push runs (it waited, or was delivered again)
    const early = { ...rig.envelope({ objects: ['late-hpa', 'late-other-hpa'] }), issuedAt: new Date(Date.now() - 1_000).toISOString() };
    await pause.handle(rig.envelope());
    // when the push runs, the paused autoscalers are not applied, yet the push succeeded, as it would have run first (probe: 500, and the resume brought back the spec from before)
    expect(await push.handle(early)).toEqual({ successfulApply: ['late-hpa', 'late-other-hpa'], failedToApply: {} });
    expect(await rig.exists(hpa)).toBe(false);
    expect(await rig.exists(other)).toBe(false);
    // and the push's events hold no secret
    const { rows: [recorded] } = await rig.db.query<{ data: string }>("SELECT string_agg(data::text, ' ') AS data FROM events WHERE metadata->>'commandId' = $1", [early.commandId]);
    expect(recorded!.data).not.toContain('Repaused-6612');
    // and resumed, the autoscalers are the push's, the secret back in place
    await resume.handle(rig.envelope());
    expect((await liveAutoscaler('late'))?.spec.maxReplicas).toBe(7);
    expect((await liveAutoscaler('late-other'))?.metadata.annotations).toMatchObject({ 'db-password': 'Repaused-6612' });
    unwrap(await deleteObject(rig.kube.client, other));
    // and paused again, a push issued after the pause applies it, as pushes do while paused
    await pause.handle(rig.envelope());
    expect(await rig.exists(hpa)).toBe(false);
    expect((await push.handle(rig.envelope({ objects: ['late-hpa'] }))).successfulApply).toEqual(['late-hpa']);
    expect(await rig.exists(hpa)).toBe(true);
    await resume.handle(rig.envelope());
    unwrap(await deleteObject(rig.kube.client, hpa));
  });

  describe('deleting a pod', () => {
    const pod = (name: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: rig.kube.namespace },
      spec: { containers: [{ name: 'main', image: 'registry.example/app:1' }] },
    });
    const uidOf = async (object: KubeObject) => unwrap(await findObject(rig.kube.client, object))?.metadata.uid;
    /** The deletion recorded as the handler records it, the deployer then stopping before it sent it. */
    const recordedOnly = (sent: CommandEnvelope, name: string, uid: string | undefined) => handleCommand(rig.db, commandContext(sent), {
      subject: DeletePod.subject, streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
      command: () => ({ kind: 'delete-object' as const, object: { kind: 'Pod' as const, name, uid }, now: sent.issuedAt }), result: () => null,
    });
    const gone = async (object: KubeObject) => {
      // A pod on a node is deleted gracefully: gone, or going (deletionTimestamp set).
      const live = unwrap(await findObject(rig.kube.client, object));
      return live === undefined || live.metadata.deletionTimestamp !== undefined;
    };

    it('recorded but cut short before deleting is finished when delivered again, not refused as not found', async () => {
      const doomed = pod('cut-short');
      unwrap(await applyObject(rig.kube.client, doomed));
      const sent = rig.envelope({ pod: 'cut-short' });
      expect(await recordedOnly(sent, 'cut-short', await uidOf(doomed))).toEqual({ ok: true, value: null });
      expect(await gone(doomed)).toBe(false);
      await anotherRecords();

      expect(await new DeletePodHandler(rig.db, rig.access).handle(sent)).toBeNull();
      expect(await gone(doomed)).toBe(true);
      expect(await rig.outcome(sent)).toMatchObject({ reply: { ok: true, value: null } });
    });

    it('a deletion the API server refuses is refused, and not recorded as deleted', async () => {
      const kept = pod('kept');
      unwrap(await applyObject(rig.kube.client, kept));
      const refused = { resource: 'pods', apiGroup: '', operation: 'DELETE' as const, allowedWhen: "oldObject.metadata.name != 'kept'", message: 'this pod is kept' };
      await whileRefused(rig, refused, async () => !(await deleteObject(rig.kube.client, kept, { dryRun: true })).ok, async () => {
        const sent = rig.envelope({ pod: 'kept' });
        await expect(new DeletePodHandler(rig.db, rig.access).handle(sent)).rejects.toMatchObject({ code: 'unavailable', final: true, message: expect.stringContaining('this pod is kept') });
        expect(await gone(kept)).toBe(false);
        expect(await recordedBy(sent)).toBe(0);
      });
    });

    it('a deletion the API server lets through as a dry run but then refuses is retried, not answered as refused and dropped', async () => {
      const flaky = pod('flaky');
      unwrap(await applyObject(rig.kube.client, flaky));
      // Deletes of these pods pass as dry runs only (as when the API server fails between the two).
      const { refused, probe } = deletesOnlyAsDryRuns(rig, { resource: 'pods', apiGroup: '', name: 'flaky', message: 'not now' }, pod);
      const sent = rig.envelope({ pod: 'flaky' });
      await whileRefused(rig, refused, probe, async () => {
        // the deletion is recorded, and its failure is a failure (the bus hands the message back), not a refusal
        const failed = await new DeletePodHandler(rig.db, rig.access).handle(sent).then(() => undefined, (error: unknown) => error);
        expect(failed).toBeInstanceOf(Error);
        expect(failed).not.toHaveProperty('code');
        // a refusal for good (a policy): counted towards dead-lettering, with its reason, not retried in place for ever
        expect(isTransient(failed)).toBe(false);
        expect((failed as Error).message).toMatch(/^recorded, but carrying it out failed: could not delete pod "flaky": .*not now.*; retried, then dead-lettered$/);
        expect(await recordedBy(sent)).toBe(1);
        expect(await gone(flaky)).toBe(false);
      });
      // delivered again once the API server takes it, the deletion is carried out
      expect(await new DeletePodHandler(rig.db, rig.access).handle(sent)).toBeNull();
      expect(await gone(flaky)).toBe(true);
    });

    it('cut short, then the object pushed again (the same one, still live): delivered again, it leaves it', async () => {
      const kept = pod('pushed-again');
      unwrap(await applyObject(rig.kube.client, kept));
      const sent = rig.envelope({ pod: 'pushed-again' });
      await recordedOnly(sent, 'pushed-again', await uidOf(kept));
      const push = rig.envelope();
      await handleCommand(rig.db, commandContext(push), {
        subject: 'test.push', streamId: clusterStreamId(rig.kube.namespace), decider: clusterDecider,
        command: () => ({ kind: 'record-applied' as const, applied: [{ objectName: 'pushed-again', releaseVersion: '1.0.0', patchVersion: null, manifest: kept as unknown as Record<string, unknown> }], now: push.issuedAt }),
        result: () => null,
      });

      expect(await new DeletePodHandler(rig.db, rig.access).handle(sent)).toBeNull();
      expect(await gone(kept)).toBe(false);
    });

    it('finished after a crash, leaves alone a pod made since under the same name', async () => {
      const first = pod('replaced');
      unwrap(await applyObject(rig.kube.client, first));
      const sent = rig.envelope({ pod: 'replaced' });
      await recordedOnly(sent, 'replaced', await uidOf(first));
      // given the pod gone meanwhile and a new one of that name (a StatefulSet's replacement)
      unwrap(await deleteObject(rig.kube.client, first));
      await eventually(async () => expect(await rig.exists(first)).toBe(false), 20_000);
      unwrap(await applyObject(rig.kube.client, pod('replaced')));
      const replacement = await uidOf(first);

      // when the deletion is delivered again, the replacement stays
      expect(await new DeletePodHandler(rig.db, rig.access).handle(sent)).toBeNull();
      expect(await uidOf(first)).toBe(replacement);
      expect(await gone(first)).toBe(false);
    });
  });
});

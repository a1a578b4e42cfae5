import { AutoscalingPaused, AutoscalingResumed, ClusterHibernated, ClusterReviveFinished, ClusterRevived, ConfigApplied, DomainError, HibernatedReplicasChanged, ObjectDeleted } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { clusterDecider, type AppliedConfig } from './cluster.decider';

const NOW = '2024-01-01T00:00:00.000Z';

describe('clusterDecider', () => {
  it('remembers the first hibernation replicas when hibernated again', () => {
    const state = fold(clusterDecider, [{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 3 }, hibernatedAt: NOW } }]);
    expect(clusterDecider.decide({ kind: 'hibernate', replicas: { 'Deployment/a': 0 }, now: NOW }, state)).toEqual([]);
    const more = clusterDecider.decide({ kind: 'hibernate', replicas: { 'Deployment/a': 0, 'StatefulSet/b': 2 }, now: NOW }, state);
    expect(more).toEqual([{ type: ClusterHibernated.type, data: { replicas: { 'StatefulSet/b': 2 }, hibernatedAt: NOW } }]);
    expect(more.reduce(clusterDecider.evolve, state).hibernated).toEqual({ 'Deployment/a': 3, 'StatefulSet/b': 2 });
  });

  it('records a deletion with the uid of the object meant, and changes nothing else of the state than that it is deleted', () => {
    const state = fold(clusterDecider, [{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 3 }, hibernatedAt: NOW } }]);
    const events = clusterDecider.decide({ kind: 'delete-object', object: { kind: 'Pod', name: 'p', uid: 'u-1' }, now: NOW }, state);
    expect(events).toEqual([{ type: ObjectDeleted.type, data: { kind: 'Pod', name: 'p', uid: 'u-1', deletedAt: NOW } }]);
    // (a pod Slipway never pushed, a Deployment's: nothing to remember of it)
    expect(events.reduce(clusterDecider.evolve, state)).toEqual(state);
  });

  it('refuses to revive a cluster that is not hibernated', () => {
    const revived = fold(clusterDecider, [
      { type: ClusterHibernated.type, data: { replicas: {}, hibernatedAt: NOW } },
      { type: ClusterRevived.type, data: { revivedAt: NOW } },
    ]);
    expect(() => clusterDecider.decide({ kind: 'revive', now: NOW }, revived)).toThrow(DomainError);
  });

  it('records with a revive the replicas it restores, which it then forgets', () => {
    const hibernated = fold(clusterDecider, [{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 3 }, hibernatedAt: NOW } }]);
    const events = clusterDecider.decide({ kind: 'revive', now: NOW }, hibernated);
    expect(events).toEqual([{ type: ClusterRevived.type, data: { revivedAt: NOW, replicas: { 'Deployment/a': 3 }, marksFinish: true } }]);
    expect(events.reduce(clusterDecider.evolve, hibernated).hibernated).toBeNull();
  });

  it('given a revival not finished (cut short), when hibernated again, then records what the revival restores, not the live 0', () => {
    const reviving = fold(clusterDecider, [
      { type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 3, 'Deployment/b': 2 }, hibernatedAt: NOW } },
      { type: ClusterRevived.type, data: { revivedAt: NOW, replicas: { 'Deployment/a': 3, 'Deployment/b': 2 }, marksFinish: true } },
    ]);
    // (b was scaled back before the deployer stopped; a was not; c is new)
    const live = { 'Deployment/a': 0, 'Deployment/b': 2, 'Deployment/c': 1 };
    const events = clusterDecider.decide({ kind: 'hibernate', replicas: live, now: NOW }, reviving);
    expect(events).toEqual([{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 3, 'Deployment/b': 2, 'Deployment/c': 1 }, hibernatedAt: NOW } }]);
    // the hibernation takes the revival over: the next one restores these, and records them alone
    const asleep = events.reduce(clusterDecider.evolve, reviving);
    expect(asleep.reviving).toEqual({});
    expect(clusterDecider.decide({ kind: 'revive-finished', now: NOW }, asleep)).toEqual([]);
  });

  it('given a revival recorded before revivals marked their finish, when hibernated, then records the live replicas (it is taken as finished)', () => {
    const old = fold(clusterDecider, [
      { type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 2 }, hibernatedAt: NOW } },
      { type: ClusterRevived.type, data: { revivedAt: NOW, replicas: { 'Deployment/a': 2 } } },
    ]);
    expect(old.reviving).toEqual({});
    expect(clusterDecider.decide({ kind: 'hibernate', replicas: { 'Deployment/a': 6 }, now: NOW }, old))
      .toEqual([{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 6 }, hibernatedAt: NOW } }]);
  });

  it('given a revival finished, or a workload pushed since, when hibernated, then records the live replicas', () => {
    const revived = fold(clusterDecider, [
      { type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 3, 'Deployment/b': 2 }, hibernatedAt: NOW } },
      { type: ClusterRevived.type, data: { revivedAt: NOW, replicas: { 'Deployment/a': 3, 'Deployment/b': 2 }, marksFinish: true } },
    ]);
    const finish = clusterDecider.decide({ kind: 'revive-finished', now: NOW }, revived);
    expect(finish).toEqual([{ type: ClusterReviveFinished.type, data: { finishedAt: NOW } }]);
    const finished = finish.reduce(clusterDecider.evolve, revived);
    // (scaled by hand since: the live count is what a hibernation keeps)
    expect(clusterDecider.decide({ kind: 'hibernate', replicas: { 'Deployment/a': 5, 'Deployment/b': 2 }, now: NOW }, finished))
      .toEqual([{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 5, 'Deployment/b': 2 }, hibernatedAt: NOW } }]);
    const pushed = clusterDecider.evolve(revived, { type: ConfigApplied.type, data: { objectName: 'a', releaseVersion: '1', patchVersion: null, appliedAt: NOW, manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { replicas: 4 } } } });
    expect(pushed.reviving).toEqual({ 'Deployment/b': 2 });
    expect(clusterDecider.decide({ kind: 'hibernate', replicas: { 'Deployment/a': 4, 'Deployment/b': 0 }, now: NOW }, pushed))
      .toEqual([{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 4, 'Deployment/b': 2 }, hibernatedAt: NOW } }]);
  });

  it('keeps which materialized config a push applied (its version and its text\'s digest), and nothing for one recorded before', () => {
    const data = { objectName: 'web', releaseVersion: '1', patchVersion: null, manifest: { kind: 'Deployment', metadata: { name: 'web' } }, appliedAt: NOW };
    const state = fold(clusterDecider, [{ type: ConfigApplied.type, data: { ...data, materializedSeq: 4, configDigest: 'd1' } }]);
    expect(state.golden.web).toMatchObject({ materializedSeq: 4, configDigest: 'd1' });
    const older = fold(clusterDecider, [{ type: ConfigApplied.type, data }]);
    expect(Object.keys(older.golden.web!).sort()).toEqual(['manifest', 'objectName', 'patchVersion', 'releaseVersion']);
  });
});

describe('clusterDecider: objects deleted through Slipway', () => {
  const deleted = { type: ObjectDeleted.type, data: { kind: 'Job' as const, name: 'migrate', uid: 'u1', deletedAt: NOW } };
  const applied = (name: string) => ({
    type: ConfigApplied.type,
    data: { objectName: name, releaseVersion: '1', patchVersion: null, manifest: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name } }, appliedAt: NOW },
  });

  it('are meant absent from their deletion until a push applies them again', () => {
    const afterDelete = clusterDecider.evolve(clusterDecider.evolve(clusterDecider.initialState(), applied('migrate')), deleted);
    expect(afterDelete.deletedSincePush).toEqual(['Job/migrate']);
    expect(clusterDecider.evolve(afterDelete, applied('other')).deletedSincePush).toEqual(['Job/migrate']);
    expect(clusterDecider.evolve(afterDelete, applied('migrate')).deletedSincePush).toEqual([]);
  });
});

describe('clusterDecider: autoscaling', () => {
  const hpa = (name: string, max: number) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name }, spec: { maxReplicas: max } });

  it('records the paused controllers, the latest spec winning, and forgets the resumed ones', () => {
    const first = clusterDecider.decide({ kind: 'pause-autoscaling', controllers: { a: hpa('a', 3), b: hpa('b', 4) }, now: NOW }, clusterDecider.initialState());
    expect(first).toEqual([{ type: AutoscalingPaused.type, data: { controllers: { a: hpa('a', 3), b: hpa('b', 4) }, pausedAt: NOW } }]);
    const paused = fold(clusterDecider, first);
    const again = clusterDecider.decide({ kind: 'pause-autoscaling', controllers: { a: hpa('a', 9) }, now: NOW }, paused);
    const state = again.reduce(clusterDecider.evolve, paused);
    expect(state.pausedAutoscalers).toEqual({ a: hpa('a', 9), b: hpa('b', 4) });

    // resumed, it records the handler's copies of what it re-creates (sealed anew), of those paused only
    const copy = { ...hpa('a', 9), metadata: { name: 'a', annotations: { 'db-password': 'slipway-sealed:copy' } } };
    const resumed = clusterDecider.decide({ kind: 'resume-autoscaling', controllers: ['a', 'zzz'], autoscalers: { a: copy, zzz: hpa('zzz', 1) }, now: NOW }, state);
    expect(resumed).toEqual([{ type: AutoscalingResumed.type, data: { controllers: ['a'], resumedAt: NOW, autoscalers: { a: copy } } }]);
    expect(resumed.reduce(clusterDecider.evolve, state).pausedAutoscalers).toEqual({ b: hpa('b', 4) });
  });

  it('remembers which paused autoscalers a push re-created, until they are paused again or resumed', () => {
    const push = (...names: string[]) => names.map((name) => ({ type: ConfigApplied.type, data: { objectName: name, releaseVersion: '2', patchVersion: null, manifest: hpa(name, 5), appliedAt: NOW } }));
    const paused = fold(clusterDecider, [{ type: AutoscalingPaused.type, data: { controllers: { a: hpa('a', 3), b: hpa('b', 4) }, pausedAt: NOW } }]);
    expect(paused.pushedSincePause).toEqual([]);
    // a push of a and of c (never paused) while paused: only a is a paused one pushed again, once
    const pushed = [...push('a', 'c'), ...push('a')].reduce(clusterDecider.evolve, paused);
    expect(pushed.pushedSincePause).toEqual(['a']);
    // paused again, it is meant absent again
    expect(clusterDecider.evolve(pushed, { type: AutoscalingPaused.type, data: { controllers: { a: hpa('a', 5) }, pausedAt: NOW } }).pushedSincePause).toEqual([]);
    // resumed, it is no longer paused at all
    expect(clusterDecider.evolve(pushed, { type: AutoscalingResumed.type, data: { controllers: ['a', 'b'], resumedAt: NOW } })).toMatchObject({ pausedAutoscalers: {}, pushedSincePause: [] });
    // resumed, it re-creates what its pause recorded but for what a push re-created since
    expect(clusterDecider.decide({ kind: 'resume-autoscaling', controllers: ['a', 'b'], autoscalers: { a: hpa('a', 3), b: hpa('b', 4) }, now: NOW }, pushed)).toEqual([
      { type: AutoscalingResumed.type, data: { controllers: ['a', 'b'], resumedAt: NOW, autoscalers: { b: hpa('b', 4) } } },
    ]);
    // a push while nothing is paused remembers nothing
    expect(push('a').reduce(clusterDecider.evolve, clusterDecider.initialState()).pushedSincePause).toEqual([]);
  });

  it('given an autoscaler paused after a push was issued, when the push records it repaused, then it is applied and paused with the push\'s spec, meant absent', () => {
    const paused = fold(clusterDecider, [{ type: AutoscalingPaused.type, data: { controllers: { a: hpa('a', 3) }, pausedAt: NOW } }]);
    const applied = { objectName: 'a', releaseVersion: '2', patchVersion: null, manifest: hpa('a', 7) };
    const events = clusterDecider.decide({ kind: 'record-applied', applied: [applied], repaused: { a: hpa('a', 7) }, now: NOW }, paused);
    expect(events).toEqual([
      { type: ConfigApplied.type, data: { ...applied, appliedAt: NOW } },
      { type: AutoscalingPaused.type, data: { controllers: { a: hpa('a', 7) }, pausedAt: NOW } },
    ]);
    const state = events.reduce(clusterDecider.evolve, paused);
    expect(state).toMatchObject({ pausedAutoscalers: { a: hpa('a', 7) }, pushedSincePause: [], golden: { a: { manifest: hpa('a', 7) } } });
    // a push with none to repause records its applies alone
    expect(clusterDecider.decide({ kind: 'record-applied', applied: [applied], repaused: {}, now: NOW }, paused)).toHaveLength(1);
  });

  it('pausing nothing and resuming nothing record nothing', () => {
    expect(clusterDecider.decide({ kind: 'pause-autoscaling', controllers: {}, now: NOW }, clusterDecider.initialState())).toEqual([]);
    expect(clusterDecider.decide({ kind: 'resume-autoscaling', controllers: ['a'], autoscalers: { a: hpa('a', 3) }, now: NOW }, clusterDecider.initialState())).toEqual([]);
  });
});

describe('clusterDecider: configs pushed while hibernated', () => {
  const workload = (kind: string, name: string, replicas?: number): AppliedConfig => ({
    objectName: name, releaseVersion: '2', patchVersion: null,
    manifest: { apiVersion: 'apps/v1', kind, metadata: { name }, spec: replicas === undefined ? {} : { replicas } },
  });
  const configMap: AppliedConfig = { objectName: 'hot-configs', releaseVersion: '2', patchVersion: null, manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot-configs' } } };
  const hibernated = (replicas: Record<string, number>) => fold(clusterDecider, [{ type: ClusterHibernated.type, data: { replicas, hibernatedAt: NOW } }]);
  const applied = (...configs: AppliedConfig[]) => configs.map((a) => ({ type: ConfigApplied.type, data: { ...a, appliedAt: NOW } }));

  it('remembers the replicas a pushed config states, so revive restores the new count', () => {
    // given a hibernation that remembered 2 replicas
    const state = hibernated({ 'Deployment/api': 2, 'StatefulSet/db': 1 });
    // when a config asking for 3 is applied
    const events = clusterDecider.decide({ kind: 'record-applied', applied: [workload('Deployment', 'api', 3), configMap], now: NOW }, state);
    // then the config is golden and revive will restore 3
    expect(events).toEqual([
      ...applied(workload('Deployment', 'api', 3), configMap),
      { type: HibernatedReplicasChanged.type, data: { replicas: { 'Deployment/api': 3 }, changedAt: NOW } },
    ]);
    expect(events.reduce(clusterDecider.evolve, state).hibernated).toEqual({ 'Deployment/api': 3, 'StatefulSet/db': 1 });
  });

  it('a workload new to the hibernation is remembered at its stated replicas, or the default 1', () => {
    const state = hibernated({ 'Deployment/api': 2 });
    const events = clusterDecider.decide({ kind: 'record-applied', applied: [workload('StatefulSet', 'db', 2), workload('Deployment', 'worker')], now: NOW }, state);
    expect(events.at(-1)).toEqual({ type: HibernatedReplicasChanged.type, data: { replicas: { 'StatefulSet/db': 2, 'Deployment/worker': 1 }, changedAt: NOW } });
  });

  it('keeps what it remembers when the config states no replicas or the same ones', () => {
    const state = hibernated({ 'Deployment/api': 2, 'Deployment/web': 5 });
    const configs = [workload('Deployment', 'api', 2), workload('Deployment', 'web'), configMap];
    expect(clusterDecider.decide({ kind: 'record-applied', applied: configs, now: NOW }, state)).toEqual(applied(...configs));
  });

  it('remembers nothing when awake, and a later hibernation starts from the live replicas', () => {
    const revived = fold(clusterDecider, [
      { type: ClusterHibernated.type, data: { replicas: { 'Deployment/api': 2 }, hibernatedAt: NOW } },
      { type: ClusterRevived.type, data: { revivedAt: NOW } },
    ]);
    const events = clusterDecider.decide({ kind: 'record-applied', applied: [workload('Deployment', 'api', 4)], now: NOW }, revived);
    expect(events).toEqual(applied(workload('Deployment', 'api', 4)));
    expect(events.reduce(clusterDecider.evolve, revived).hibernated).toBeNull();
  });
});

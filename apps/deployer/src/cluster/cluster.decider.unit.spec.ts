import { AutoscalingPaused, AutoscalingResumed, ClusterHibernated, ClusterRevived, DomainError } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { clusterDecider } from './cluster.decider';

const NOW = '2024-01-01T00:00:00.000Z';

describe('clusterDecider', () => {
  it('remembers the first hibernation replicas when hibernated again', () => {
    const state = fold(clusterDecider, [{ type: ClusterHibernated.type, data: { replicas: { 'Deployment/a': 3 }, hibernatedAt: NOW } }]);
    expect(clusterDecider.decide({ kind: 'hibernate', replicas: { 'Deployment/a': 0 }, now: NOW }, state)).toEqual([]);
    const more = clusterDecider.decide({ kind: 'hibernate', replicas: { 'Deployment/a': 0, 'StatefulSet/b': 2 }, now: NOW }, state);
    expect(more).toEqual([{ type: ClusterHibernated.type, data: { replicas: { 'StatefulSet/b': 2 }, hibernatedAt: NOW } }]);
    expect(more.reduce(clusterDecider.evolve, state).hibernated).toEqual({ 'Deployment/a': 3, 'StatefulSet/b': 2 });
  });

  it('refuses to revive a cluster that is not hibernated', () => {
    const revived = fold(clusterDecider, [
      { type: ClusterHibernated.type, data: { replicas: {}, hibernatedAt: NOW } },
      { type: ClusterRevived.type, data: { revivedAt: NOW } },
    ]);
    expect(() => clusterDecider.decide({ kind: 'revive', now: NOW }, revived)).toThrow(DomainError);
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

    const resumed = clusterDecider.decide({ kind: 'resume-autoscaling', controllers: ['a', 'zzz'], now: NOW }, state);
    expect(resumed).toEqual([{ type: AutoscalingResumed.type, data: { controllers: ['a'], resumedAt: NOW } }]);
    expect(resumed.reduce(clusterDecider.evolve, state).pausedAutoscalers).toEqual({ b: hpa('b', 4) });
  });

  it('pausing nothing and resuming nothing record nothing', () => {
    expect(clusterDecider.decide({ kind: 'pause-autoscaling', controllers: {}, now: NOW }, clusterDecider.initialState())).toEqual([]);
    expect(clusterDecider.decide({ kind: 'resume-autoscaling', controllers: ['a'], now: NOW }, clusterDecider.initialState())).toEqual([]);
  });
});

import { ClusterHibernated, ClusterRevived, DomainError } from '@slipway/contracts';
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

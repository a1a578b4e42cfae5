import { daemonSetHealth, type DaemonSetLike } from './daemonset-health';
import { deploymentHealth, type DeploymentLike } from './deployment-health';
import { replicaSetHealth } from './replicaset-health';
import { statefulSetHealth, type StatefulSetLike } from './statefulset-health';

describe('deploymentHealth', () => {
  const rolledOut: DeploymentLike = {
    metadata: { generation: 2 },
    spec: { replicas: 3 },
    status: {
      observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
    },
  };
  const given = (change: { spec?: DeploymentLike['spec']; status?: DeploymentLike['status']; generation?: number }): DeploymentLike => ({
    metadata: { generation: change.generation ?? 2 },
    spec: { ...rolledOut.spec, ...change.spec },
    status: { ...rolledOut.status, ...change.status },
  });

  it('given all replicas updated and available at the observed generation, then Healthy', () => {
    expect(deploymentHealth(rolledOut).status).toBe('Healthy');
  });

  it('given a spec the controller has not observed yet, then Progressing', () => {
    expect(deploymentHealth(given({ generation: 3 }))).toMatchObject({ status: 'Progressing', message: expect.stringContaining('observed deployment generation') });
  });

  it('given a paused rollout, then Suspended, whatever the counts', () => {
    expect(deploymentHealth(given({ spec: { paused: true }, status: { updatedReplicas: 0 } })).status).toBe('Suspended');
  });

  it('given ProgressDeadlineExceeded, then Degraded with the condition\'s message', () => {
    const stuck = given({ status: { updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }] } });
    expect(deploymentHealth(stuck)).toEqual({ status: 'Degraded', message: expect.stringContaining('has timed out progressing') });
  });

  it.each<[string, DeploymentLike['status'], string]>([
    ['fewer updated replicas than desired', { updatedReplicas: 1 }, '1 out of 3 new replicas have been updated'],
    ['old replicas still running', { replicas: 4 }, '1 old replicas are pending termination'],
    ['updated replicas not yet available', { availableReplicas: 2 }, '2 of 3 updated replicas are available'],
  ])('given %s, then Progressing', (_, status, message) => {
    expect(deploymentHealth(given({ status }))).toEqual({ status: 'Progressing', message: expect.stringContaining(message) });
  });

  it('given a scale-up the controller has observed but not fulfilled, then Progressing until the counts follow', () => {
    expect(deploymentHealth(given({ spec: { replicas: 5 } })).status).toBe('Progressing');
    expect(deploymentHealth(given({ spec: { replicas: 5 }, status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5 } })).status).toBe('Healthy');
  });
});

describe('statefulSetHealth', () => {
  const ready: StatefulSetLike = {
    metadata: { generation: 1 },
    spec: { replicas: 2 },
    status: { observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'r1', updateRevision: 'r1' },
  };

  it('given all pods ready at one revision, then Healthy', () => {
    expect(statefulSetHealth(ready).status).toBe('Healthy');
  });

  it('given pods not ready, then Progressing', () => {
    expect(statefulSetHealth({ ...ready, status: { ...ready.status, readyReplicas: 1 } })).toMatchObject({ status: 'Progressing', message: 'Waiting for 1 pods to be ready...' });
  });

  it('given a rolling update between revisions, then Progressing', () => {
    expect(statefulSetHealth({ ...ready, status: { ...ready.status, updateRevision: 'r2', updatedReplicas: 1 } }).status).toBe('Progressing');
  });

  it('given a partition whose pods are updated, then Healthy although revisions differ', () => {
    const partitioned = { ...ready, spec: { replicas: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, status: { ...ready.status, updateRevision: 'r2', updatedReplicas: 1 } };
    expect(statefulSetHealth(partitioned).status).toBe('Healthy');
  });

  it('given no observed generation yet, then Progressing', () => {
    expect(statefulSetHealth({ ...ready, status: {} }).status).toBe('Progressing');
  });
});

describe('daemonSetHealth', () => {
  const running: DaemonSetLike = {
    metadata: { generation: 1 },
    status: { observedGeneration: 1, desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberReady: 2, numberAvailable: 2 },
  };

  it('given a ready, updated pod on every selected node, then Healthy', () => {
    expect(daemonSetHealth(running).status).toBe('Healthy');
  });

  it.each<[string, DaemonSetLike['status']]>([
    ['a node without the updated pod', { updatedNumberScheduled: 1 }],
    ['a pod not ready', { numberReady: 1 }],
    ['a pod not yet available', { numberAvailable: 1 }],
  ])('given %s, then Progressing', (_, status) => {
    expect(daemonSetHealth({ ...running, status: { ...running.status, ...status } }).status).toBe('Progressing');
  });

  it('given OnDelete updates, then Healthy while old pods remain', () => {
    expect(daemonSetHealth({ ...running, spec: { updateStrategy: { type: 'OnDelete' } }, status: { ...running.status, updatedNumberScheduled: 0 } }).status).toBe('Healthy');
  });
});

describe('replicaSetHealth', () => {
  it('given available replicas short of desired, then Progressing; matching, then Healthy', () => {
    expect(replicaSetHealth({ spec: { replicas: 2 }, status: { availableReplicas: 1 } }).status).toBe('Progressing');
    expect(replicaSetHealth({ spec: { replicas: 2 }, status: { availableReplicas: 2 } }).status).toBe('Healthy');
  });

  it('given ReplicaFailure, then Degraded with its message', () => {
    const failing = { spec: { replicas: 2 }, status: { availableReplicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', message: 'exceeded quota' }] } };
    expect(replicaSetHealth(failing)).toEqual({ status: 'Degraded', message: 'exceeded quota' });
  });
});

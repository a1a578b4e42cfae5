import { DomainError } from '@slipway/contracts';
import { ClusterNotConfigured } from './cluster-access';
import { KubeRefusal } from './kube-refusal';

describe('which refusals of a push are its final outcome (DomainError.final)', () => {
  it('given a refusal a later attempt would meet again (unknown object, bad payload, conflict), when classified, then it is final', () => {
    for (const code of ['not-found', 'invalid', 'conflict', 'already-exists', 'forbidden', 'internal'] as const) {
      expect(new DomainError(code, 'refused').final).toBe(true);
    }
  });

  it('given a deployer started without a Kubernetes configuration, when its refusal is classified, then it is final', () => {
    const refusal = new ClusterNotConfigured();
    expect(refusal.code).toBe('unavailable');
    expect(refusal.final).toBe(true);
  });

  it('given the API server refusing for good (a policy, RBAC), when classified, then it is final; away, busy or failing (a 500), it is not', () => {
    expect(new KubeRefusal('could not delete job "protected"', { kind: 'forbidden', message: 'denied by ValidatingAdmissionPolicy' }).final).toBe(true);
    expect(new KubeRefusal('could not scale Deployment/api', { kind: 'invalid', message: 'spec.replicas: Invalid value', causes: [] }).final).toBe(true);
    expect(new KubeRefusal('could not scale Deployment/api', { kind: 'transient', status: 500, message: 'failed calling webhook' }).final).toBe(false);
    expect(new KubeRefusal('could not scale Deployment/api', { kind: 'transient', status: 503, message: 'unavailable' }).final).toBe(false);
    expect(new KubeRefusal('could not list Deployments', { kind: 'transient', message: 'connect ECONNREFUSED' }).final).toBe(false);
  });

  it('given a service that did not answer in time, when the refusal is classified, then it is transient: a re-send must act', () => {
    const timedOut = new DomainError('unavailable', 'the service answering qry.config.list-materialized.v1 did not respond in time; retry shortly');
    expect(timedOut.final).toBe(false);
    expect(new DomainError('unavailable', 'could not list Deployments in namespace "ib": connection refused').final).toBe(false);
  });
});

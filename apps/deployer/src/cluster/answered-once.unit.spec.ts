import { DomainError } from '@slipway/contracts';
import { isFinalRefusal } from './answered-once';
import { ClusterNotConfigured } from './cluster-access';

describe('which refusals of a push are its final outcome', () => {
  it('given a refusal a later attempt would meet again (unknown object, bad payload, conflict), when classified, then it is final', () => {
    for (const code of ['not-found', 'invalid', 'conflict', 'already-exists', 'forbidden', 'internal'] as const) {
      expect(isFinalRefusal(new DomainError(code, 'refused'))).toBe(true);
    }
  });

  it('given a deployer started without a Kubernetes configuration, when its refusal is classified, then it is final', () => {
    const refusal = new ClusterNotConfigured();
    expect(refusal.code).toBe('unavailable');
    expect(isFinalRefusal(refusal)).toBe(true);
  });

  it('given a service that did not answer in time, when the refusal is classified, then it is transient: a re-send must act', () => {
    const timedOut = new DomainError('unavailable', 'the service answering qry.config.list-materialized.v1 did not respond in time; retry shortly');
    expect(isFinalRefusal(timedOut)).toBe(false);
    expect(isFinalRefusal(new DomainError('unavailable', 'could not list Deployments in namespace "ib": connection refused'))).toBe(false);
  });
});

import { isOutage } from './kube-error';

describe('which failures of the API server are waited out in place (isOutage)', () => {
  it('given the API server not there or not taking requests now, then it is an outage', () => {
    expect(isOutage({ kind: 'transient', message: 'connect ECONNREFUSED 127.0.0.1:6443 (ECONNREFUSED)' })).toBe(true);
    expect(isOutage({ kind: 'transient', message: 'no answer', timedOut: true })).toBe(true);
    for (const status of [429, 502, 503, 504]) expect(isOutage({ kind: 'transient', message: `HTTP ${status}`, status })).toBe(true);
  });

  it('given a 500 (a webhook failing closed, a request too large), then it is the API server\'s answer about the object', () => {
    expect(isOutage({ kind: 'transient', message: 'Internal error occurred: failed calling webhook', status: 500 })).toBe(false);
  });

  it('given a refusal for good, then it is no outage', () => {
    expect(isOutage({ kind: 'forbidden', message: 'forbidden' })).toBe(false);
  });
});

import { isTransient } from '@slipway/bus';
import { KubeRefusal } from './kube-refusal';
import { carryOut } from './once-in-turn';

describe('carrying out a recorded intent', () => {
  const failing = (error: unknown) => carryOut(async () => { throw error; }).then(() => undefined, (thrown: unknown) => thrown as Error);

  it('retries in place while the API server is down or busy, however long', async () => {
    for (const error of [new KubeRefusal('could not scale Deployment/api', { kind: 'transient', message: 'connect ECONNREFUSED' }),
      new KubeRefusal('could not scale Deployment/api', { kind: 'transient', status: 503, message: 'the server is currently unable to handle the request' }), new Error('socket hang up')]) {
      const thrown = await failing(error);
      expect(isTransient(thrown)).toBe(true);
      expect(thrown!.message).toMatch(/; it is retried until it is done$/);
    }
  });

  it('counts a refusal for good towards dead-lettering, saying so', async () => {
    const thrown = await failing(new KubeRefusal('could not delete job "migrate"', { kind: 'forbidden', message: 'denied by policy' }));
    expect(isTransient(thrown)).toBe(false);
    expect(thrown!.message).toBe('recorded, but carrying it out failed: could not delete job "migrate": denied by policy; retried, then dead-lettered');
  });

  it('counts a 500 of the API server (a webhook failing closed) as a refusal, as a push records it', async () => {
    const thrown = await failing(new KubeRefusal('could not scale Deployment/api to 0', { kind: 'transient', status: 500, message: 'Internal error occurred: failed calling webhook "scale.policy.example"' }));
    expect(isTransient(thrown)).toBe(false);
    expect(thrown!.message).toMatch(/failed calling webhook "scale\.policy\.example"; retried, then dead-lettered$/);
  });

  it('passes when the work is done', async () => {
    await expect(carryOut(async () => undefined)).resolves.toBeUndefined();
  });
});

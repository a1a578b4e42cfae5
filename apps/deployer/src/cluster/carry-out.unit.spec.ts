import { isTransient } from '@slipway/bus';
import { KubeRefusal } from './kube-refusal';
import { carryOut } from './once-in-turn';
import { WAIT_OUT_MS } from './wait-out-clock';

describe('carrying out a recorded intent', () => {
  const failing = (error: unknown, commandId = 'cmd-1', now = Date.now) => carryOut(commandId, async () => { throw error; }, now).then(() => undefined, (thrown: unknown) => thrown as Error);

  it('retries in place while the API server is down or busy, however long', async () => {
    const t0 = Date.now();
    for (const error of [
      new KubeRefusal('could not scale Deployment/api', { kind: 'transient', message: 'connect ECONNREFUSED' }),
      new KubeRefusal('could not scale Deployment/api', { kind: 'transient', status: 503, message: 'the server is currently unable to handle the request' }), new Error('socket hang up'),
    ]) {
      for (const at of [t0, t0 + 3 * WAIT_OUT_MS]) {
        const thrown = await failing(error, 'down', () => at);
        expect(isTransient(thrown)).toBe(true);
        expect(thrown!.message).toMatch(/; it is retried until it is done$/);
      }
    }
  });

  it('waits out a 500 (a webhook failing closed while its pods restart) for a while, then counts it as a refusal', async () => {
    const webhook = new KubeRefusal('could not scale Deployment/api to 0', { kind: 'transient', status: 500, message: 'Internal error occurred: failed calling webhook "scale.policy.example"' });
    const t0 = Date.now();
    expect(isTransient(await failing(webhook, 'webhook', () => t0))).toBe(true);
    expect(isTransient(await failing(webhook, 'webhook', () => t0 + WAIT_OUT_MS - 1))).toBe(true);
    const counted = await failing(webhook, 'webhook', () => t0 + WAIT_OUT_MS);
    expect(isTransient(counted)).toBe(false);
    expect(counted!.message).toMatch(/failed calling webhook "scale\.policy\.example"; retried, then dead-lettered$/);
    // The deliveries after it count at once (the bus dead-letters it after a few), not ten minutes each;
    expect(isTransient(await failing(webhook, 'webhook', () => t0 + WAIT_OUT_MS + 1))).toBe(false);
    // one long after (a redrive once the webhook is mended, and failing again) waits anew.
    expect(isTransient(await failing(webhook, 'webhook', () => t0 + 2 * WAIT_OUT_MS + 1))).toBe(true);
  });

  it('counts a refusal for good towards dead-lettering at once, saying so', async () => {
    const thrown = await failing(new KubeRefusal('could not delete job "migrate"', { kind: 'forbidden', message: 'denied by policy' }));
    expect(isTransient(thrown)).toBe(false);
    expect(thrown!.message).toBe('recorded, but carrying it out failed: could not delete job "migrate": denied by policy; retried, then dead-lettered');
  });

  it('passes when the work is done', async () => {
    await expect(carryOut('done', async () => undefined)).resolves.toBeUndefined();
  });
});

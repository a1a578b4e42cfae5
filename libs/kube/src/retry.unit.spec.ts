import { failed, ok, type KubeError, type KubeResult } from './kube-error';
import { retryTransient } from './retry';

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const transient: KubeError = { kind: 'transient', message: 'HTTP 503', status: 503 };

function sequence(...results: Array<KubeResult<string>>): { operation: () => Promise<KubeResult<string>>; calls: () => number } {
  let calls = 0;
  return { operation: async () => results[Math.min(calls++, results.length - 1)], calls: () => calls };
}

describe('retryTransient', () => {
  it('given transient failures then success, then it returns the success', async () => {
    const { operation, calls } = sequence(failed(transient), failed(transient), ok('live'));
    expect(await retryTransient(operation, fast)).toEqual(ok('live'));
    expect(calls()).toBe(3);
  });

  it('given only transient failures, then it stops after the bounded attempts with the last failure', async () => {
    const { operation, calls } = sequence(failed(transient));
    expect(await retryTransient(operation, fast)).toEqual(failed(transient));
    expect(calls()).toBe(4);
  });

  it('given a request that got no answer within its bound, then it is returned at once (each retry would wait as long)', async () => {
    const { operation, calls } = sequence(failed({ kind: 'transient', timedOut: true, message: 'no answer within 70 s' }), ok('never'));
    expect(await retryTransient(operation, fast)).toEqual(failed({ kind: 'transient', timedOut: true, message: 'no answer within 70 s' }));
    expect(calls()).toBe(1);
  });

  it('given a non-transient failure, then it is returned at once', async () => {
    const { operation, calls } = sequence(failed({ kind: 'invalid', message: 'no', causes: [] }), ok('never'));
    expect((await retryTransient(operation, fast)).ok).toBe(false);
    expect(calls()).toBe(1);
  });
});

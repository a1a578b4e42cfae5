import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { collectPodLogs } from './collect-pod-logs';
import type { PodObject } from './resolve-service';

/**
 * A pod listed for an export and gone before its log is read (deleted, replaced): the
 * manifest notes why its log is missing as the API server said it, not a bare status.
 */
describe('an export\'s pod log that cannot be read', () => {
  let kube: TestNamespace;
  beforeAll(async () => {
    kube = await createTestNamespace('telescope-logs');
  });
  afterAll(async () => kube?.dispose());

  it('is noted with the refusal\'s kind and the API server\'s message', async () => {
    const gone: PodObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-gone', namespace: kube.namespace }, spec: { containers: [{ name: 'app' }] } };
    const now = Date.now();
    const logs = await collectPodLogs({ client: kube.client, namespace: kube.namespace }, [{ name: 'web', note: { status: 'found', kind: 'Deployment' }, pods: [gone] }], { start: now - 60_000, end: now });
    expect(logs.files).toEqual({});
    expect(logs.note).toMatchObject({
      status: 'collected',
      containers: [{ service: 'web', pod: 'web-gone', container: 'app', error: 'could not read the log: not-found: pods "web-gone" not found' }],
    });
  });
});

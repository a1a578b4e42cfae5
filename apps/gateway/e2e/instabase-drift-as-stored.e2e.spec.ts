import { getObject, unwrap, type KubeObject } from '@slipway/kube';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { callInstabase, form } from './instabase-fixtures';

/**
 * Drift right after a clean push, on the real control plane: what the API server stores
 * otherwise than it was sent, but means the same, is no drift. Base64 sent with line breaks
 * reads back without them (a probe saw `binaryData.b` and a Secret's `data` reported so), a
 * zero a built-in kind's field leaves out (`workingDir: ""`, `hostNetwork: false`) reads back
 * absent, and a `""` the API server defaults (`imagePullPolicy`, a port's `protocol`) reads
 * back as the default. What someone changes since is still drift.
 */
const CONFIGS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: wrapped-bytes
binaryData:
  b: "aGVs\\nbG8="
---
apiVersion: v1
kind: Secret
metadata:
  name: wrapped-secret
data:
  token: "c2VjcmV0LXZh\\nbHVlLTE="
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: zeros
spec:
  replicas: 0
  revisionHistoryLimit: null
  selector: {matchLabels: {app: zeros}}
  template:
    metadata: {labels: {app: zeros}}
    spec:
      hostNetwork: false
      serviceAccountName: ""
      containers:
      - name: main
        image: registry.example/zeros:1
        workingDir: ""
        stdin: false
        env: [{name: EMPTY, value: ""}]
        volumeMounts: [{name: data, mountPath: /data, readOnly: false}]
      volumes: [{name: data, emptyDir: {}}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: empties
spec:
  replicas: 0
  strategy: {type: ""}
  selector: {matchLabels: {app: empties}}
  template:
    metadata: {labels: {app: empties}}
    spec:
      restartPolicy: ""
      dnsPolicy: ""
      schedulerName: ""
      containers:
      - name: tagged
        image: registry.example/empties:1
        imagePullPolicy: ""
        terminationMessagePath: ""
        terminationMessagePolicy: ""
        ports: [{containerPort: 8080, protocol: "", name: ""}]
        readinessProbe: {httpGet: {port: 8080, scheme: ""}}
        livenessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 0, timeoutSeconds: 0, periodSeconds: 0, successThreshold: 0, failureThreshold: 0}
        envFrom: [{prefix: "", configMapRef: {name: wrapped-bytes}}]
        volumeMounts: [{name: scratch, mountPath: /scratch}]
      - name: untagged
        image: registry.example/empties
        imagePullPolicy: ""
      volumes: [{name: scratch, emptyDir: {medium: ""}}]
---
apiVersion: v1
kind: Service
metadata:
  name: empties-svc
spec:
  type: ""
  sessionAffinity: ""
  clusterIP: ""
  publishNotReadyAddresses: false
  externalName: ""
  selector: {app: empties}
  ports: [{port: 80, protocol: "", name: "", nodePort: 0}]
---
apiVersion: v1
kind: Service
metadata:
  name: empties-np
spec:
  type: NodePort
  sessionAffinity: null
  selector: {app: empties}
  ports: [{port: 80, nodePort: 0}]
---
apiVersion: v1
kind: Secret
metadata:
  name: empty-type
type: ""
stringData: {a: b}
---
apiVersion: v1
kind: Secret
metadata:
  name: shrinking
stringData: {kept: one, dropped: two, moved: three}
data: {plain: Zm91cg==}
`;
const OBJECTS = ['empties', 'empties-np', 'empties-svc', 'empty-type', 'shrinking', 'wrapped-bytes', 'wrapped-secret', 'zeros'];

describe('Instabase drift of what the API server stores as it means it, on a real control plane', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const drift = async () => (await call('/configs/k8s-inconsistencies')).json();

  beforeAll(async () => {
    kube = await createTestNamespace('ibstored');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('finds none right after the push: base64 with line breaks, zeros the API server leaves out, "" or null it defaults', async () => {
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '1.0.0', base_config: CONFIGS }).toString() });
    const uploaded = await upload.json();
    expect({ status: upload.status, error: uploaded.error, applied: (uploaded.data.successful_apply as string[]).sort() }).toEqual({ status: 200, error: null, applied: OBJECTS });
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });
  });

  it('still finds a change made since, without showing a secret value', async () => {
    const patch = async (kind: string, name: string, body: unknown) => unwrap(await kube.client.http.send({
      method: 'PATCH', path: `/api/v1/namespaces/${kube.namespace}/${kind}/${name}`, query: { fieldManager: 'kubectl' },
      contentType: 'application/merge-patch+json', body: JSON.stringify(body),
    }));
    await patch('configmaps', 'wrapped-bytes', { binaryData: { b: Buffer.from('other').toString('base64') } });
    await patch('secrets', 'wrapped-secret', { data: { token: Buffer.from('secret-value-2').toString('base64') } });
    const found = await drift();
    expect(found).toMatchObject({
      numInconsistencies: 2,
      inconsistentResources: {
        'wrapped-bytes': { diffRows: [{ key: 'binaryData.b', expected: 'aGVsbG8=', got: 'b3RoZXI=' }] },
        'wrapped-secret': { diffRows: [{ key: 'data.token' }] },
      },
    });
    expect(JSON.stringify(found)).not.toMatch(/c2VjcmV0LXZh|secret-value/);
  });

  it('removes from the cluster a Secret\'s key a later release leaves out, whether it was sent as stringData or data (probe: one sent as stringData stayed)', async () => {
    const shrunk = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: shrinking\nstringData: {kept: one}\ndata: {moved: dGhyZWU=}\n';
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '1.0.1', base_config: shrunk }).toString() });
    expect(upload.status).toBe(200);
    const live = unwrap(await getObject<KubeObject & { data?: Record<string, string> }>(kube.client, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shrinking', namespace: kube.namespace } }));
    expect(live.data).toEqual({ kept: 'b25l', moved: 'dGhyZWU=' });
    expect((await drift()).inconsistentResources).not.toHaveProperty('shrinking');
  });

  it('reports an object being deleted (a finalizer holds it) as drift, and its push as failed, not applied', async () => {
    const path = `/api/v1/namespaces/${kube.namespace}/configmaps/wrapped-bytes`;
    const finalizers = async (list: string[]) => unwrap(await kube.client.http.send({
      method: 'PATCH', path, query: { fieldManager: 'kubectl' }, contentType: 'application/merge-patch+json', body: JSON.stringify({ metadata: { finalizers: list } }),
    }));
    await finalizers(['example.com/hold']);
    try {
      unwrap(await kube.client.http.send({ method: 'DELETE', path }));
      const found = await drift();
      expect(found.inconsistentResources['wrapped-bytes'].diffRows).toEqual([{ key: 'metadata.deletionTimestamp', expected: '<missing>', got: expect.stringMatching(/^\d{4}-/) }]);
      const pushed = await (await call('/deployment/update/wrapped-bytes', { method: 'POST' })).json();
      expect(pushed.data).toMatchObject({ successful_apply: [], failed_to_apply: { 'wrapped-bytes': expect.stringContaining('ConfigMap/wrapped-bytes is being deleted') } });
    } finally {
      await finalizers([]);
    }
  });
});

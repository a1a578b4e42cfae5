import type { KubeObject } from '@slipway/kube';
import { CONFIG_DIGEST, configDigestOf, configsReadBy, dataDigestOf, keyedHashWith, withConfigDigest, withDataDigest } from './config-digest';
import { digestWith } from './secret-digests';

const hash = keyedHashWith(digestWith('test-key'));

const podTemplate = {
  spec: {
    initContainers: [{ name: 'init', envFrom: [{ secretRef: { name: 'init-secret' } }] }],
    containers: [{
      name: 'app',
      envFrom: [{ configMapRef: { name: 'settings' } }],
      env: [
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'levels', key: 'level' } } },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'PLAIN', value: 'x' },
      ],
    }],
    volumes: [
      { name: 'files', configMap: { name: 'files' } },
      { name: 'tls', secret: { secretName: 'tls' } },
      { name: 'both', projected: { sources: [{ configMap: { name: 'projected-map' } }, { secret: { name: 'projected-secret' } }, { serviceAccountToken: { path: 't' } }] } },
      { name: 'scratch', emptyDir: {} },
    ],
  },
};

const workload = (template: unknown = podTemplate, kind = 'Deployment') =>
  ({ apiVersion: 'apps/v1', kind, metadata: { name: 'app' }, spec: { template } }) as KubeObject;

const config = (kind: 'ConfigMap' | 'Secret', fields: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind, metadata: { name: 'settings', ...metadata }, ...fields }) as KubeObject;

const dataDigest = (manifest: KubeObject) => dataDigestOf(withDataDigest(manifest, hash));

describe('configsReadBy', () => {
  it('finds every ConfigMap and Secret a pod template reads: env, envFrom, volumes, projected volumes, init containers', () => {
    expect([...configsReadBy(podTemplate)].sort()).toEqual([
      'ConfigMap/files', 'ConfigMap/levels', 'ConfigMap/projected-map', 'ConfigMap/settings',
      'Secret/db', 'Secret/init-secret', 'Secret/projected-secret', 'Secret/tls',
    ]);
  });

  it('reads nothing from shapes that are not a pod spec', () => {
    expect(configsReadBy(undefined).size).toBe(0);
    expect(configsReadBy({ spec: { containers: 'none', volumes: [null, 3, { configMap: { name: 7 } }] } }).size).toBe(0);
  });
});

describe('withDataDigest', () => {
  it('stamps a ConfigMap or Secret with a digest of its data that ignores key order, labels and annotations', () => {
    const stamp = dataDigest(config('ConfigMap', { data: { A: '1', B: '2' } }));
    expect(stamp).toMatch(/^[0-9a-f]{32}$/);
    expect(dataDigest(config('ConfigMap', { data: { B: '2', A: '1' } }, { labels: { team: 'x' }, annotations: { note: 'y' } }))).toBe(stamp);
    expect(dataDigest(config('ConfigMap', { data: { A: '1', B: '3' } }))).not.toBe(stamp);
    expect(dataDigest(config('ConfigMap', { data: { A: '1', B: '2' }, binaryData: { C: 'AA==' } }))).not.toBe(stamp);
  });

  it('reads a Secret as the API server keeps it: stringData alike to the same values in data; empty data alike to none', () => {
    expect(dataDigest(config('Secret', { stringData: { password: 'hunter2' } }))).toBe(dataDigest(config('Secret', { data: { password: 'aHVudGVyMg==' } })));
    expect(dataDigest(config('ConfigMap', { data: {} }))).toBe(dataDigest(config('ConfigMap', {})));
  });

  it('reads base64 as the bytes the API server keeps: the same bytes wrapped otherwise are the same data (their readers do not roll)', () => {
    const wrapped = 'aHVudGVy\nMjpodW50\r\nZXIy';
    expect(dataDigest(config('Secret', { data: { p: wrapped } }))).toBe(dataDigest(config('Secret', { data: { p: 'aHVudGVyMjpodW50ZXIy' } })));
    expect(dataDigest(config('ConfigMap', { binaryData: { b: wrapped } }))).toBe(dataDigest(config('ConfigMap', { binaryData: { b: 'aHVudGVyMjpodW50ZXIy' } })));
    // other bytes are other data; a ConfigMap's data is text, read as written
    expect(dataDigest(config('Secret', { data: { p: 'aHVudGVyMjpodW50ZXIz' } }))).not.toBe(dataDigest(config('Secret', { data: { p: wrapped } })));
    expect(dataDigest(config('ConfigMap', { data: { t: wrapped } }))).not.toBe(dataDigest(config('ConfigMap', { data: { t: 'aHVudGVyMjpodW50ZXIy' } })));
  });

  it('is keyed: another key gives another digest, so it tells nothing of a secret value', () => {
    const secret = config('Secret', { data: { password: 'aHVudGVyMg==' } });
    expect(dataDigestOf(withDataDigest(secret, keyedHashWith(digestWith('other-key'))))).not.toBe(dataDigest(secret));
  });

  it('differs between configs holding the same data: a ConfigMap holding a guess does not show a Secret\'s digest', () => {
    const secret = config('Secret', { data: { p: 'aHVudGVyMg==' } });
    expect(dataDigest(config('ConfigMap', { data: { p: 'aHVudGVyMg==' } }))).not.toBe(dataDigest(secret));
    expect(dataDigest(config('Secret', { data: { p: 'aHVudGVyMg==' } }, { name: 'other' }))).not.toBe(dataDigest(secret));
  });

  it('leaves other kinds as they are', () => {
    expect(withDataDigest(workload(), hash)).toEqual(workload());
  });
});

describe('withConfigDigest', () => {
  const applied = new Map([['ConfigMap/settings', 'first'], ['Secret/db', 'second']]);

  it('stamps a workload reading configs Slipway applied, and leaves one reading none as it is', () => {
    expect(configDigestOf(withConfigDigest(workload(), applied, hash))).toMatch(/^[0-9a-f]{32}$/);
    const unread = workload({ spec: { containers: [{ name: 'app' }] } });
    expect(withConfigDigest(unread, applied, hash)).toBe(unread);
    // configs made elsewhere are not followed
    expect(withConfigDigest(workload(), new Map([['ConfigMap/elsewhere', 'x']]), hash)).toEqual(workload());
  });

  it('changes when a config it reads changes, not with the order they were applied in or with configs it does not read', () => {
    const stamp = configDigestOf(withConfigDigest(workload(), applied, hash));
    expect(configDigestOf(withConfigDigest(workload(), new Map([['Secret/db', 'second'], ['ConfigMap/settings', 'first'], ['ConfigMap/other', 'x']]), hash))).toBe(stamp);
    expect(configDigestOf(withConfigDigest(workload(), new Map([['ConfigMap/settings', 'changed'], ['Secret/db', 'second']]), hash))).not.toBe(stamp);
  });

  it('does not stamp a Job (its template cannot change) nor a CronJob, and keeps the template\'s other annotations', () => {
    const job = workload(podTemplate, 'Job');
    expect(withConfigDigest(job, applied, hash)).toBe(job);
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'app' }, spec: { jobTemplate: { spec: { template: podTemplate } } } } as KubeObject;
    expect(withConfigDigest(cronJob, applied, hash)).toBe(cronJob);
    const annotated = workload({ ...podTemplate, metadata: { annotations: { owner: 'team' } } }, 'StatefulSet');
    expect((withConfigDigest(annotated, applied, hash).spec as { template: { metadata: unknown } }).template.metadata).toEqual({
      annotations: { owner: 'team', [CONFIG_DIGEST]: configDigestOf(withConfigDigest(workload(), applied, hash)) },
    });
  });
});

import { diffRows, MISSING } from './diff-rows';

/** A Deployment as Slipway applies it: only the fields its config sets. */
const deployment = (podSpec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rd-dep' },
  spec: { selector: { matchLabels: { app: 'rd' } }, template: { metadata: { labels: { app: 'rd' } }, spec: podSpec } },
});
const container = { name: 'c', image: 'nginx:1.25' };

describe('diffRows of zero values the API server drops (a probe found them drift right after a clean push)', () => {
  it('given applied "", false and 0 of omitempty fields, when the live object leaves them out, then there is no drift', () => {
    const applied = deployment({
      hostNetwork: false, serviceAccountName: '',
      containers: [{ ...container, workingDir: '', stdin: false, env: [{ name: 'EMPTY', value: '' }], volumeMounts: [{ name: 'd', mountPath: '/d', readOnly: false }], ports: [{ containerPort: 80, hostPort: 0 }] }],
    });
    const live = deployment({ containers: [{ ...container, env: [{ name: 'EMPTY' }], volumeMounts: [{ name: 'd', mountPath: '/d' }], ports: [{ containerPort: 80, protocol: 'TCP' }] }] });
    expect(diffRows(applied, live)).toEqual([]);
  });

  it('given an applied zero, when the live value is there and differs, then it is drift', () => {
    const applied = deployment({ hostNetwork: false, containers: [{ ...container, workingDir: '', env: [{ name: 'EMPTY', value: '' }] }] });
    const live = deployment({ hostNetwork: true, containers: [{ ...container, workingDir: '/srv', env: [{ name: 'EMPTY', value: 'x' }] }] });
    expect(diffRows(applied, live)).toEqual([
      { key: 'spec.template.spec.hostNetwork', expected: 'false', got: 'true' },
      { key: 'spec.template.spec.containers[name="c"].workingDir', expected: '', got: '/srv' },
      { key: 'spec.template.spec.containers[name="c"].env[name="EMPTY"].value', expected: '', got: 'x' },
    ]);
  });

  it('given an empty map entry (a label, a ConfigMap key), when the live object lacks it, then it is drift: map entries are kept whatever their value', () => {
    const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { team: '' } }, data: { empty: '' } };
    expect(diffRows(applied, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: {} }, data: {} })).toEqual([
      { key: 'metadata.labels.team', expected: '', got: MISSING },
      { key: 'data.empty', expected: '', got: MISSING },
    ]);
  });

  it('given a kept zero whose absence means otherwise (runAsUser: 0, root rather than the image\'s user), when the live object lacks it, then it is drift', () => {
    const applied = deployment({ securityContext: { runAsUser: 0 }, containers: [container] });
    expect(diffRows(applied, deployment({ securityContext: {}, containers: [container] }))).toEqual([
      { key: 'spec.template.spec.securityContext.runAsUser', expected: '0', got: MISSING },
    ]);
  });

  it('given a kept zero of another kind\'s pointer field (a PodDisruptionBudget\'s maxUnavailable: 0), when the live object lacks it, then it is drift', () => {
    const pdb = (spec: Record<string, unknown>) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec });
    expect(diffRows(pdb({ maxUnavailable: 0, selector: { matchLabels: { app: 'a' } } }), pdb({ selector: { matchLabels: { app: 'a' } } })))
      .toEqual([{ key: 'spec.maxUnavailable', expected: '0', got: MISSING }]);
  });

  it('given a custom resource, which the API server stores as sent, when its zero is gone, then it is drift', () => {
    const widget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    expect(diffRows(widget({ paused: false }), widget({}))).toEqual([{ key: 'spec.paused', expected: 'false', got: MISSING }]);
  });
});

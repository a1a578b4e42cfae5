import { parse } from 'yaml';
import { KUBERNETES_YAML } from '@slipway/contracts';
import type { JsonValue } from '@slipway/materializer';
import { booleanProblems } from './check-booleans';
import { idProblems } from './check-integers';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
const read = (text: string) => parse(text, KUBERNETES_YAML) as JsonValue;

describe('booleanProblems', () => {
  it('names a boolean field of the pod template written as YAML 1.1 writes one (yes, off), which Slipway reads as text, saying so', () => {
    const object = read(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  paused: false
  template:
    spec:
      hostNetwork: yes
      containers:
      - name: app
        stdin: "true"
        securityContext: {privileged: off, runAsNonRoot: true}
        volumeMounts: [{name: d, mountPath: /d, readOnly: 1}]
`);
    expect(booleanProblems(deployment, object)).toEqual([
      'spec.template.spec.hostNetwork must be true or false, got "yes" (kubectl\'s YAML 1.1 reads yes as a boolean; Slipway reads YAML 1.2, where it is text: write true or false, unquoted)',
      'spec.template.spec.containers[name="app"].stdin must be true or false, got "true" (kubectl\'s YAML 1.1 reads true as a boolean; Slipway reads YAML 1.2, where it is text: write true or false, unquoted)',
      'spec.template.spec.containers[name="app"].volumeMounts[name="d"].readOnly must be true or false, got 1',
      'spec.template.spec.containers[name="app"].securityContext.privileged must be true or false, got "off" (kubectl\'s YAML 1.1 reads off as a boolean; Slipway reads YAML 1.2, where it is text: write true or false, unquoted)',
    ]);
  });

  it('checks a kind\'s own fields and a CronJob\'s job template; takes booleans, null and missing fields; leaves custom resources alone', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob' };
    expect(booleanProblems(cron, { ...cron, spec: { suspend: 'no', jobTemplate: { spec: { suspend: true, template: { spec: { hostPID: null } } } } } }))
      .toEqual([expect.stringMatching(/^spec\.suspend must be true or false, got "no" \(kubectl's/)]);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap' };
    expect(booleanProblems(configMap, { ...configMap, immutable: 'yes' })).toHaveLength(1);
    expect(booleanProblems(configMap, { ...configMap, immutable: true, data: { a: 'yes' } })).toEqual([]);
    const custom = { apiVersion: 'example.com/v1', kind: 'Deployment' };
    expect(booleanProblems(custom, { ...custom, spec: { paused: 'yes' } })).toEqual([]);
  });
});

describe('idProblems', () => {
  it('names a user or group id written as text, in the pod and in a container', () => {
    const object = { ...deployment, spec: { template: { spec: { securityContext: { runAsUser: '1000', fsGroup: 2000 }, containers: [{ name: 'app', securityContext: { runAsGroup: 'root' } }] } } } };
    expect(idProblems(deployment, object)).toEqual([
      'spec.template.spec.securityContext.runAsUser must be an integer from 0 to 9007199254740991, got "1000"',
      'spec.template.spec.containers[name="app"].securityContext.runAsGroup must be an integer from 0 to 9007199254740991, got "root"',
    ]);
  });
});

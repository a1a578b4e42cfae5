import type { JsonValue } from '@slipway/materializer';
import { parse } from 'yaml';
import { integerProblems } from './check-integers';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
const withSpec = (spec: JsonValue) => ({ ...deployment, metadata: { name: 'web' }, spec });

describe('integerProblems', () => {
  it('names an int32 field out of range, a fraction, a string and a number too large to be exact', () => {
    // As YAML reads them: 99999999999999999999999999 is already the float 1e+26.
    const huge = (parse('replicas: 99999999999999999999999999') as { replicas: number }).replicas;
    expect(integerProblems(deployment, withSpec({ replicas: 4294967296 }))).toEqual(['spec.replicas must be an integer from 0 to 2147483647, got 4294967296']);
    expect(integerProblems(deployment, withSpec({ replicas: huge }))).toEqual(['spec.replicas must be an integer from 0 to 2147483647, got 1e+26']);
    expect(integerProblems(deployment, withSpec({ replicas: 2.5 }))).toEqual(['spec.replicas must be an integer from 0 to 2147483647, got 2.5']);
    expect(integerProblems(deployment, withSpec({ replicas: 'three' }))).toEqual(['spec.replicas must be an integer from 0 to 2147483647, got "three"']);
    expect(integerProblems(deployment, withSpec({ replicas: -1 }))).toHaveLength(1);
  });

  it('accepts the bounds, null (unset) and missing fields', () => {
    expect(integerProblems(deployment, withSpec({ replicas: 2147483647, minReadySeconds: 0, revisionHistoryLimit: null }))).toEqual([]);
    expect(integerProblems(deployment, { ...deployment, metadata: { name: 'web' } })).toEqual([]);
  });

  it('reaches into the pod template: containers by name, probes, ports', () => {
    const spec = { template: { spec: { terminationGracePeriodSeconds: 30, containers: [{
      name: 'app', ports: [{ containerPort: 70000 }], livenessProbe: { periodSeconds: 1.5, httpGet: { port: 'http' } },
    }] } } };
    expect(integerProblems(deployment, withSpec(spec))).toEqual([
      'spec.template.spec.containers[name="app"].ports[0].containerPort must be an integer from 1 to 65535, got 70000',
      'spec.template.spec.containers[name="app"].livenessProbe.periodSeconds must be an integer from 0 to 2147483647, got 1.5',
    ]);
  });

  it('takes a string where the field is an IntOrString, not a fraction', () => {
    const strategy = (maxSurge: JsonValue) => withSpec({ strategy: { rollingUpdate: { maxSurge } } });
    expect(integerProblems(deployment, strategy('25%'))).toEqual([]);
    expect(integerProblems(deployment, strategy(0.5))).toEqual(['spec.strategy.rollingUpdate.maxSurge must be an integer from 0 to 2147483647 or a string, got 0.5']);
  });

  it('checks the job template of a CronJob and int64 fields up to what a JSON number holds exactly', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob' };
    const object = { ...cron, spec: { startingDeadlineSeconds: 2 ** 53, jobTemplate: { spec: { backoffLimit: 'x' } } } };
    expect(integerProblems(cron, object)).toEqual([
      'spec.startingDeadlineSeconds must be an integer from 0 to 9007199254740991, got 9007199254740992',
      'spec.jobTemplate.spec.backoffLimit must be an integer from 0 to 2147483647, got "x"',
    ]);
  });

  it('leaves custom resources alone: their schema is not known here', () => {
    const custom = { apiVersion: 'example.com/v1', kind: 'Deployment' };
    expect(integerProblems(custom, { ...custom, spec: { replicas: 'three' } })).toEqual([]);
  });
});

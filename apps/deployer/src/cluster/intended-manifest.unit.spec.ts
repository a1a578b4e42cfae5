import { autoscalerName, intendedManifest, type RecordedOperations } from './intended-manifest';

const deployment = (replicas?: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'ib' },
  spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } },
});
const hpa = (name: string, apiVersion = 'autoscaling/v2') => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'ib' }, spec: { maxReplicas: 5 } });
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot-configs', namespace: 'ib' }, data: { replicas: '3' } };

const awake: RecordedOperations = { hibernated: null, pausedAutoscalers: {}, pushedSincePause: [], deletedSincePush: [] };
const hibernated: RecordedOperations = { ...awake, hibernated: { 'Deployment/api': 2 } };
const paused = (pushedSincePause: string[] = []): RecordedOperations => ({ ...awake, pausedAutoscalers: { 'hpa-a': hpa('hpa-a') }, pushedSincePause });

describe('the manifest Slipway intends, given its recorded operations', () => {
  it('is the golden config itself while nothing Slipway did since changes it', () => {
    for (const golden of [deployment(2), hpa('hpa-a'), configMap]) expect(intendedManifest(golden, awake)).toBe(golden);
  });

  it('while hibernated, intends the workloads at 0 replicas and leaves the rest of them, and other kinds, as configured', () => {
    expect(intendedManifest(deployment(2), hibernated)).toEqual(deployment(0));
    // Hibernation scaled it to 0 though its config leaves the replicas to others.
    expect(intendedManifest(deployment(), hibernated)).toEqual(deployment(0));
    expect(intendedManifest(configMap, hibernated)).toBe(configMap);
    expect(intendedManifest(hpa('hpa-a'), hibernated)).toEqual(hpa('hpa-a'));
  });

  it('does not change the golden config, which revive and later pushes read', () => {
    const golden = deployment(2);
    intendedManifest(golden, hibernated);
    expect(golden.spec.replicas).toBe(2);
  });

  it('while autoscaling is paused, intends a paused autoscaler absent, whatever its autoscaling version', () => {
    expect(intendedManifest(hpa('hpa-a'), paused())).toBeUndefined();
    expect(intendedManifest(hpa('hpa-a', 'autoscaling/v1'), paused())).toBeUndefined();
    // one that was not paused (pushed after the pause, say) is intended as pushed
    expect(intendedManifest(hpa('hpa-b'), paused())).toEqual(hpa('hpa-b'));
  });

  it('intends a paused autoscaler that a push re-created since the pause as pushed', () => {
    expect(intendedManifest(hpa('hpa-a'), paused(['hpa-a']))).toEqual(hpa('hpa-a'));
  });

  it('intends a job or pod Slipway deleted absent, and nothing else of its name and kind', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'ib' }, spec: {} };
    const deleted: RecordedOperations = { ...awake, deletedSincePush: ['Job/migrate'] };
    expect(intendedManifest(job, deleted)).toBeUndefined();
    expect(intendedManifest({ ...job, kind: 'CronJob' }, deleted)).toEqual({ ...job, kind: 'CronJob' });
    expect(intendedManifest(job, awake)).toBe(job);
  });

  it('names autoscalers as a pause keys them, and nothing else', () => {
    expect(autoscalerName(hpa('hpa-a'))).toBe('hpa-a');
    expect(autoscalerName(hpa('hpa-a', 'autoscaling/v1'))).toBe('hpa-a');
    expect(autoscalerName({ apiVersion: 'example.com/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' } })).toBeUndefined();
    expect(autoscalerName(deployment(1))).toBeUndefined();
  });
});

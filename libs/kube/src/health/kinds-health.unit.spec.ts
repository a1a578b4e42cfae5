import { assessHealth } from './assess-health';
import type { KubeObject } from '../kube-object';

const object = (apiVersion: string, kind: string, rest: object): KubeObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'n' }, ...rest }) as KubeObject;

describe('health of claims, services, ingresses, autoscalers and cron jobs', () => {
  it.each<[string, KubeObject, string]>([
    ['a claim that is Bound', object('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } }), 'Healthy'],
    ['a claim that is Pending', object('v1', 'PersistentVolumeClaim', { status: { phase: 'Pending' } }), 'Progressing'],
    ['a claim just created (no status yet)', object('v1', 'PersistentVolumeClaim', {}), 'Progressing'],
    ['a claim whose volume is Lost', object('v1', 'PersistentVolumeClaim', { status: { phase: 'Lost' } }), 'Degraded'],
    ['a ClusterIP service', object('v1', 'Service', { spec: { type: 'ClusterIP' } }), 'Healthy'],
    ['a service of the default type', object('v1', 'Service', { spec: {} }), 'Healthy'],
    ['a LoadBalancer service without an address', object('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } }), 'Progressing'],
    ['a LoadBalancer service with an address', object('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } }), 'Healthy'],
    ['an ingress without an address', object('networking.k8s.io/v1', 'Ingress', { status: {} }), 'Progressing'],
    ['an ingress with a hostname', object('networking.k8s.io/v1', 'Ingress', { status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } } }), 'Healthy'],
    ['a claim held by its finalizer while deleted', object('v1', 'PersistentVolumeClaim', { metadata: { name: 'x', deletionTimestamp: '2026-12-04T00:00:00Z', finalizers: ['kubernetes.io/pvc-protection'] }, status: { phase: 'Bound' } }), 'Progressing'],
    ['an autoscaler that cannot read its metric', object('autoscaling/v2', 'HorizontalPodAutoscaler', { status: { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'no metrics returned' }] } }), 'Degraded'],
    ['an autoscaler able to scale and scaling', object('autoscaling/v2', 'HorizontalPodAutoscaler', { status: { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }, { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }] } }), 'Healthy'],
    ['an autoscaler whose target is scaled to zero', object('autoscaling/v2', 'HorizontalPodAutoscaler', { status: { conditions: [{ type: 'AbleToScale', status: 'True' }, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled' }] } }), 'Suspended'],
    ['an autoscaling/v1 autoscaler whose annotated conditions say it cannot read its metric', object('autoscaling/v1', 'HorizontalPodAutoscaler', { metadata: { name: 'x', annotations: { 'autoscaling.alpha.kubernetes.io/conditions': '[{"type":"AbleToScale","status":"True"},{"type":"ScalingActive","status":"False","reason":"FailedGetResourceMetric"}]' } }, status: {} }), 'Degraded'],
    ['an autoscaler with no conditions yet', object('autoscaling/v2', 'HorizontalPodAutoscaler', { status: {} }), 'Progressing'],
    ['a suspended CronJob', object('batch/v1', 'CronJob', { spec: { suspend: true }, status: {} }), 'Suspended'],
    ['a CronJob whose last scheduled job failed', object('batch/v1', 'CronJob', { status: { lastScheduleTime: '2026-12-04T01:00:00Z', lastSuccessfulTime: '2026-12-04T00:00:00Z' } }), 'Degraded'],
    ['a CronJob whose job runs', object('batch/v1', 'CronJob', { status: { active: [{ name: 'j' }], lastScheduleTime: '2026-12-04T01:00:00Z' } }), 'Progressing'],
    ['a CronJob whose last job succeeded', object('batch/v1', 'CronJob', { status: { lastScheduleTime: '2026-12-04T01:00:00Z', lastSuccessfulTime: '2026-12-04T01:00:09Z' } }), 'Healthy'],
    ['a CronJob never scheduled yet', object('batch/v1', 'CronJob', { status: {} }), 'Healthy'],
    ['a custom Job of another group (no Complete condition of its own)', object('batch.volcano.sh/v1alpha1', 'Job', { status: { state: { phase: 'Running' } } }), 'Healthy'],
  ])('given %s, then %s', (_, live, expected) => {
    expect(assessHealth(live).status).toBe(expected);
  });

  it('given a LoadBalancer service with an address, then the message names it', () => {
    const live = object('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] } } });
    expect(assessHealth(live).message).toBe('load balancer at 203.0.113.7, lb.example.com');
  });
});

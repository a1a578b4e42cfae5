import { assessHealth } from './assess-health';
import type { KubeObject } from '../kube-object';

const object = (apiVersion: string, kind: string, rest: object): KubeObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'n' }, ...rest }) as KubeObject;

describe('health of claims, services and ingresses', () => {
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
  ])('given %s, then %s', (_, live, expected) => {
    expect(assessHealth(live).status).toBe(expected);
  });

  it('given a LoadBalancer service with an address, then the message names it', () => {
    const live = object('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] } } });
    expect(assessHealth(live).message).toBe('load balancer at 203.0.113.7, lb.example.com');
  });
});

import { healthy, progressing, type Health } from './health-status';

interface LoadBalancerStatus { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } }

export interface ServiceLike {
  spec?: { type?: string };
  status?: LoadBalancerStatus;
}

export interface IngressLike {
  status?: LoadBalancerStatus;
}

const addresses = (status: LoadBalancerStatus | undefined): string[] =>
  (status?.loadBalancer?.ingress ?? []).map((entry) => entry.ip ?? entry.hostname ?? '').filter(Boolean);

/** A LoadBalancer Service is ready once the cloud gave it an address; other types by existing. */
export function serviceHealth(service: ServiceLike): Health {
  if (service.spec?.type !== 'LoadBalancer') return healthy();
  const ready = addresses(service.status);
  return ready.length ? healthy(`load balancer at ${ready.join(', ')}`) : progressing('waiting for the load balancer to get an address');
}

/** An Ingress is ready once its controller published an address for it. */
export function ingressHealth(ingress: IngressLike): Health {
  const ready = addresses(ingress.status);
  return ready.length ? healthy(`served at ${ready.join(', ')}`) : progressing('waiting for an ingress controller to give it an address');
}

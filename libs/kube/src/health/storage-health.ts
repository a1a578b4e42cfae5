import { degraded, healthy, progressing, type Health } from './health-status';

export interface PersistentVolumeClaimLike {
  status?: { phase?: string };
}

/**
 * Bound is Healthy; Pending (no volume yet — provisioning, or waiting for the first consumer
 * with WaitForFirstConsumer) is Progressing; Lost (its volume is gone) is Degraded.
 */
export function persistentVolumeClaimHealth(claim: PersistentVolumeClaimLike): Health {
  switch (claim.status?.phase) {
    case 'Bound':
      return healthy();
    case 'Lost':
      return degraded('the claim lost its volume');
    default:
      return progressing('waiting for a volume to be bound');
  }
}

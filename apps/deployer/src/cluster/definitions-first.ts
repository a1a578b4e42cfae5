import { apiGroupOf } from '@slipway/contracts';
import { findObject, type KubeClient, type KubeObject } from '@slipway/kube';
import { setTimeout as delay } from 'node:timers/promises';

/** A CustomResourceDefinition: pushed before everything else, as Helm's `crds/` and Argo CD's sync order put them. */
export const isDefinition = (manifest: KubeObject): boolean =>
  manifest.kind === 'CustomResourceDefinition' && apiGroupOf(manifest.apiVersion) === 'apiextensions.k8s.io';

/** How long a push waits for the definitions it applied to be served, as `kubectl wait --for condition=established` would. */
export const ESTABLISHED_WAIT_MS = 15_000;
const POLL_MS = 100;

/**
 * Waits until each CustomResourceDefinition applied is `Established` (the API server serves
 * its resources: a custom resource of it sent before then is refused as of a kind it has no
 * resource for), or the bound passes: a definition that never gets there leaves its custom
 * resources to fail with the API server's reason. True when all were established.
 */
export async function definitionsEstablished(client: KubeClient, definitions: KubeObject[], waitMs = ESTABLISHED_WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  let waiting = definitions;
  while (waiting.length > 0) {
    const found = await Promise.all(waiting.map((definition) => findObject(client, definition)));
    waiting = waiting.filter((_definition, i) => {
      const live = found[i]!;
      return !(live.ok && live.value && isEstablished(live.value));
    });
    if (waiting.length === 0) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
  return true;
}

function isEstablished(definition: KubeObject): boolean {
  const conditions = (definition.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conditions.some((condition) => condition.type === 'Established' && condition.status === 'True');
}

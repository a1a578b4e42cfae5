import { jsonReadableAsYaml } from '@slipway/contracts';
import type { KubeClient } from './kube-client';
import type { KubeResult } from './kube-error';
import type { KubeObject } from './kube-object';
import { retryTransient, type RetryPolicy } from './retry';

export const FIELD_MANAGER = 'slipway';

export interface ApplyOptions {
  /** Take over fields owned by other managers; only when a command explicitly asks for it. */
  force?: boolean;
  /** Validate and compute the result on the server without persisting it. */
  dryRun?: boolean;
  retry?: RetryPolicy;
}

/**
 * Server-side apply as field manager `slipway` with strict field validation (unknown or
 * duplicate fields are refused, not dropped). The result is the object the server now
 * holds: the apply response is the persisted live state, not an echo of what was sent.
 * A 409 comes back as `conflict` naming each field and the manager that owns it.
 */
export async function applyObject<T extends KubeObject>(client: KubeClient, object: T, options: ApplyOptions = {}): Promise<KubeResult<T>> {
  return retryTransient(async () => {
    const path = await client.http.resourcePath(object, 'read');
    if (!path.ok) return path;
    const applied = await client.http.send({
      method: 'PATCH',
      path: path.value,
      query: {
        fieldManager: FIELD_MANAGER,
        fieldValidation: 'Strict',
        force: options.force ? 'true' : undefined,
        dryRun: options.dryRun ? 'All' : undefined,
      },
      // JSON is YAML, and the API server reads the body as YAML under the apply content type:
      // the characters YAML does not hold raw are escaped, which JSON leaves raw (it refused
      // DEL, C1 controls and U+FFFE, and read NEL as a line break, a space in the value stored).
      // JSON's escapes: the body is read again as JSON when a refusal is cleared of its secrets.
      contentType: 'application/apply-patch+yaml',
      body: jsonReadableAsYaml(JSON.stringify(object)),
    });
    return applied as KubeResult<T>;
  }, options.retry);
}

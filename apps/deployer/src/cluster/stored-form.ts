import { withBytesAsStored } from './byte-fields';
import type { JsonMap } from './match-elements';
import { asStored, isSecret } from './secret-drift';

/**
 * An object as the API server stores it, in what Slipway digests: a Secret's `stringData`
 * folded into its base64 `data`, and every `[]byte` value without the line breaks it may have
 * been sent with (byte-fields.ts). The same bytes sent wrapped otherwise are the same object.
 */
export function inStoredForm(manifest: JsonMap): JsonMap {
  const type = { apiVersion: manifest.apiVersion as string | undefined, kind: manifest.kind as string | undefined };
  return withBytesAsStored(isSecret(type) ? asStored(manifest) : manifest, type);
}

import type { CommandBus } from '@slipway/bus';
import { GetMaterialized, objectName } from '@slipway/contracts';
import type { MaterializedLookup } from './resolve-service';

const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * Asks the config store for an object's current materialized config. A name it cannot
 * hold (not a Kubernetes object name) is simply not there; a refusal other than
 * not-found (the config store down) is thrown, for the manifest to note.
 */
export function configStoreLookup(commands: CommandBus): MaterializedLookup {
  return async (name) => {
    if (!objectName.safeParse(name).success) return undefined;
    const reply = await commands.query(GetMaterialized, { object: name }, LOOKUP_TIMEOUT_MS);
    if (reply.ok) return reply.value;
    if (reply.error.code === 'not-found') return undefined;
    throw new Error(reply.error.message);
  };
}

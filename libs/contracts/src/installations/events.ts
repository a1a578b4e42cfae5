import { z } from 'zod';
import { event } from '../define';
import { resourceName } from '../names';

/**
 * Installations place an application on a deployment target. Only the facts other
 * capabilities depend on are defined yet: a target's reference count is built from these.
 */
const placement = z.object({
  installationId: z.uuid(),
  namespace: resourceName,
  name: resourceName,
  target: resourceName,
});
export const InstallationCreated = event('installation.created.v1', placement);
export const InstallationRemoved = event('installation.removed.v1', placement);
export const installationStreamId = (installationId: string): string => `installation-${installationId}`;

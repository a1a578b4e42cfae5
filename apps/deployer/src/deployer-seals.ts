import { SealStore } from '@slipway/sealing';

/**
 * The deployer's sealed values (migration 003): secret values of what its events record —
 * a deployment target's annotations, a paused autoscaler's labels and annotations — as
 * tokens, the values kept here, as the config-store keeps the secrets of config text.
 */
export const deployerSeals = new SealStore({ values: 'deployer.sealed_values', key: 'deployer.sealed_values_key' });

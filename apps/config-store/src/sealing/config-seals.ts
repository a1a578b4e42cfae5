import { SealStore } from '@slipway/sealing';

/** The config-store's sealed values: the secret spans of base configs, image updates, patches and descriptions (migration 004). */
export const configSeals = new SealStore({ values: 'config.sealed_values', key: 'config.seal_key' });

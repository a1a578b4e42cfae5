/**
 * Golden state: the config the deployer last applied per object, from its
 * `cluster.config-applied.v1` events (kept by event position, so a redelivered or late
 * older event never overwrites a newer one).
 */
export const CONFIG_DDL_002: readonly string[] = [
  `CREATE TABLE config.golden_configs (
    object_name text PRIMARY KEY,
    release_version text NOT NULL,
    patch_version bigint NOT NULL,
    position bigint NOT NULL
  )`,
];

/**
 * Which base each materialized version was made from, as the MD5 of the base's text
 * (identity, not secrecy: the text itself is in the next table): a release uploaded again
 * keeps its name, so `base_configs` marks golden only the base whose text the golden
 * version was made from, as `configs/{object}` does. Null for versions made before: their
 * base is compared by release, as then.
 */
export const CONFIG_DDL_006: readonly string[] = [
  'ALTER TABLE config.materialized_configs ADD COLUMN base_digest text',
];

/**
 * Which of the object's materialized versions the deployer applied (ConfigApplied's
 * `materializedSeq`): a change that keeps the release and patch version (a release
 * uploaded again, a patch deleted, a label unbound) makes a new version, which is then not
 * golden. Null for what was applied before the deployer recorded it: compared by release
 * and patch version, as before.
 */
export const CONFIG_DDL_005: readonly string[] = [
  'ALTER TABLE config.golden_configs ADD COLUMN materialized_seq integer',
];

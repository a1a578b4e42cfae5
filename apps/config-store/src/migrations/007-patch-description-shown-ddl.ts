/**
 * A patch's description as a reader without `admin` sees it, written by the projection:
 * with the secrets the patches of its command hold hidden where it repeats them (one
 * description is written for all the patches a command applies). Null for rows written
 * before: those readers see the description with the patterns alone hidden, as then.
 */
export const CONFIG_DDL_007: readonly string[] = [
  'ALTER TABLE config.patches ADD COLUMN description_shown text',
];

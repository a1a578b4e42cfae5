/**
 * Secret spans of config and patch text (libs/sealing/src/seal-text.ts) live in `sealed_values`,
 * beside the log, written in the transaction that appends the events holding their
 * tokens. `seal_key` keys the tokens: made here once, from the server's strong random
 * source (gen_random_uuid), and never shown.
 */
export const CONFIG_DDL_004: readonly string[] = [
  `CREATE TABLE config.sealed_values (
    token text PRIMARY KEY,
    original text NOT NULL,
    sealed_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE config.seal_key (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    key text NOT NULL
  )`,
  `INSERT INTO config.seal_key (key)
    SELECT encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex')`,
];

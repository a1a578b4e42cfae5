/**
 * Secret settings (see isSecretSetting) are kept out of the event log: their values live
 * in `setting_secrets`, written in the transaction that appends the event recording the
 * change, and the projected `settings` row of such a setting is marked `withheld`.
 */
export const CONFIG_DDL_003: readonly string[] = [
  `CREATE TABLE config.setting_secrets (
    key text PRIMARY KEY,
    value text NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  'ALTER TABLE config.settings ADD COLUMN withheld boolean NOT NULL DEFAULT false',
];

/**
 * The config-store's tables, as SQL statements: the migration runs them and
 * `database/mock_ddl` shows them, so the two cannot drift apart.
 */
export const CONFIG_DDL_001: readonly string[] = [
  'CREATE SCHEMA IF NOT EXISTS config',
  `CREATE TABLE config.base_configs (
    object_name text NOT NULL,
    release_version text NOT NULL,
    kind text NOT NULL,
    api_version text NOT NULL,
    config text NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (object_name, release_version)
  )`,
  'CREATE INDEX base_configs_current ON config.base_configs (object_name, seq DESC)',
  `CREATE TABLE config.releases (
    release_version text PRIMARY KEY,
    creators jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    seq bigint NOT NULL
  )`,
  `CREATE TABLE config.patches (
    version bigint PRIMARY KEY,
    target text NOT NULL,
    format text NOT NULL,
    kind text,
    patch text NOT NULL,
    description text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    deleted boolean NOT NULL DEFAULT false
  )`,
  `CREATE TABLE config.label_bindings (
    label text NOT NULL,
    object_name text NOT NULL,
    PRIMARY KEY (label, object_name)
  )`,
  'CREATE INDEX label_bindings_object ON config.label_bindings (object_name)',
  `CREATE TABLE config.materialized_configs (
    object_name text NOT NULL,
    seq integer NOT NULL,
    release_version text NOT NULL,
    patch_version bigint,
    previous_release_version text,
    previous_patch_version bigint,
    kind text NOT NULL,
    config text NOT NULL,
    skipped jsonb NOT NULL,
    timestamp_ms bigint NOT NULL,
    golden boolean NOT NULL DEFAULT false,
    PRIMARY KEY (object_name, seq)
  )`,
  `CREATE TABLE config.settings (
    key text PRIMARY KEY,
    value text NOT NULL
  )`,
  `CREATE TABLE config.setup_state (
    name text PRIMARY KEY,
    done_at timestamptz NOT NULL,
    details jsonb NOT NULL
  )`,
];

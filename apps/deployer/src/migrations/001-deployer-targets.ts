import { Migration } from '@mikro-orm/migrations';

export class DeployerTargets001 extends Migration {
  override up(): void {
    this.addSql('CREATE SCHEMA IF NOT EXISTS deployer');
    this.addSql(`CREATE TABLE deployer.targets (
      namespace text NOT NULL,
      name text NOT NULL,
      id uuid NOT NULL UNIQUE,
      labels jsonb NOT NULL,
      annotations jsonb NOT NULL,
      kubernetes_namespace text,
      created_at timestamptz NOT NULL,
      modified_at timestamptz NOT NULL,
      resource_version integer NOT NULL,
      PRIMARY KEY (namespace, name)
    )`);
    this.addSql(`CREATE TABLE deployer.target_references (
      installation_id uuid PRIMARY KEY,
      namespace text NOT NULL,
      target text NOT NULL
    )`);
    this.addSql('CREATE INDEX target_references_target ON deployer.target_references (namespace, target)');
    this.addSql(`CREATE TABLE deployer.tokens (
      token_hash text PRIMARY KEY,
      principal text NOT NULL,
      grants jsonb NOT NULL,
      issued_at timestamptz NOT NULL
    )`);
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * The secret values of deployment targets' annotations (targets/target-seals.ts), kept
 * beside the log in `sealed_values`, written in the transaction that appends the events
 * holding their tokens. Their tokens have a key of their own, not seal_key's: a token and a
 * recorded manifest's digest of one same value would otherwise be the same HMAC, and the
 * log would tell which annotation equals which secret.
 */
export class DeployerSealedValues003 extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE deployer.sealed_values (
      token text PRIMARY KEY,
      original text NOT NULL,
      sealed_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE deployer.sealed_values_key (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      key text NOT NULL
    )`);
    this.addSql(`INSERT INTO deployer.sealed_values_key (key)
      SELECT encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex')`);
  }
}

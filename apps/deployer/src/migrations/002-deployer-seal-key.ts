import { Migration } from '@mikro-orm/migrations';

/**
 * The key of the digests that stand for secret values in recorded manifests
 * (cluster/secret-digests.ts): made once from the server's strong random source, never shown.
 */
export class DeployerSealKey002 extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE deployer.seal_key (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      key text NOT NULL
    )`);
    this.addSql(`INSERT INTO deployer.seal_key (key)
      SELECT encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex')`);
  }
}

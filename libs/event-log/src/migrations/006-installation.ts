import { Migration } from '@mikro-orm/migrations';

/**
 * The installation's id, made once with its database: the bus it uses is claimed under it
 * (bus-claim.ts), so that a second Slipway on the same NATS without a prefix of its own is
 * refused instead of handling the first one's commands against its own database. A dump
 * restored elsewhere keeps it, and with it the bus.
 */
export class EventLog006 extends Migration {
  override name = '006-installation';

  override up(): void {
    this.addSql('CREATE TABLE installation (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now())');
    this.addSql('INSERT INTO installation DEFAULT VALUES');
  }

  override down(): void {
    this.addSql('DROP TABLE installation');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * The installation's id: the bus it uses is claimed under it (bus-claim.ts), so that a
 * second Slipway on the same NATS without a prefix of its own is refused instead of
 * handling the first one's commands against its own database. The id of the log's first
 * event where there is one, so that a backup from before this migration, restored and
 * migrated again, is the same installation; a new one otherwise.
 */
export class EventLog006 extends Migration {
  override name = '006-installation';

  override up(): void {
    this.addSql('CREATE TABLE installation (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now())');
    this.addSql('INSERT INTO installation (id) SELECT coalesce((SELECT event_id FROM events ORDER BY position LIMIT 1), gen_random_uuid())');
  }

  override down(): void {
    this.addSql('DROP TABLE installation');
  }
}

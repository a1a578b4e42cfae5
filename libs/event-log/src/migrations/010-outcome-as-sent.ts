import { Migration } from '@mikro-orm/migrations';

/**
 * A command's outcome kept as the JSON text it was recorded in: a retried command (the same
 * Idempotency-Key) is answered from this row, and jsonb kept its maps' keys shortest first,
 * so the retry's answer held the labels of a target in another order than the first one's.
 * Outcomes recorded before keep the order jsonb gave them. A service of the version before
 * still writes here (`::jsonb`, which Postgres assigns to json as its text).
 */
export class EventLog010 extends Migration {
  override name = '010-outcome-as-sent';

  override up(): void {
    this.addSql('ALTER TABLE command_outcomes ALTER COLUMN outcome TYPE json USING outcome::json');
  }

  override down(): void {
    this.addSql('ALTER TABLE command_outcomes ALTER COLUMN outcome TYPE jsonb USING outcome::jsonb');
  }
}

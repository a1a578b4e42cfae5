import { Migration } from '@mikro-orm/migrations';

/**
 * When a command whose success is recorded was then moved to the dead-letter stream: what
 * it recorded as its intent (a hibernation, a deletion) could not be carried out, and its
 * status says so rather than a bare "succeeded". Cleared when it is redriven.
 */
export class EventLog008 extends Migration {
  override name = '008-outcome-dead-lettered';

  override up(): void {
    this.addSql('ALTER TABLE command_outcomes ADD COLUMN dead_lettered_at timestamptz');
  }

  override down(): void {
    this.addSql('ALTER TABLE command_outcomes DROP COLUMN dead_lettered_at');
  }
}

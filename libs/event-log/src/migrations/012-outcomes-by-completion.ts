import { Migration } from '@mikro-orm/migrations';

/**
 * Outcomes in the order they were recorded, for removing those past their retention
 * (pruneOutcomes): without it each sweep would read the whole table, which holds an outcome
 * for every command ever handled. Those of dead-lettered successes are kept (a redrive
 * finishes them under their own id), so left out of it.
 */
export class EventLog012 extends Migration {
  override name = '012-outcomes-by-completion';

  override up(): void {
    this.addSql('CREATE INDEX command_outcomes_completed_at ON command_outcomes (completed_at) WHERE dead_lettered_at IS NULL');
  }

  override down(): void {
    this.addSql('DROP INDEX command_outcomes_completed_at');
  }
}

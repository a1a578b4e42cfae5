import { Migration } from '@mikro-orm/migrations';

/**
 * The last "retry shortly" refusal of a command that has no outcome (see
 * command-outcomes.ts, recordRetryable): what lets a resend within JetStream's dedupe
 * window run it again.
 */
export class EventLog002 extends Migration {
  override name = '002-command-retries';

  override up(): void {
    this.addSql(`CREATE TABLE command_retries (
      command_id text PRIMARY KEY,
      subject text NOT NULL,
      refusal jsonb NOT NULL,
      refused_at timestamptz NOT NULL
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE command_retries;');
  }
}

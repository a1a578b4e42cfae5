import { Migration } from '@mikro-orm/migrations';

/**
 * Where the message a "retry shortly" refused keeps the record of whether that refusal reached
 * a client (the bus's answered-refusals.ts): a resend that reads the refusal settles it there
 * before it publishes another copy. Its `at` is the row's refused_at when written with it: a
 * service of the version before updates a row without touching this column, which then no
 * longer matches and is not read.
 */
export class EventLog009 extends Migration {
  override name = '009-retry-refusal-record';

  override up(): void {
    this.addSql('ALTER TABLE command_retries ADD COLUMN refusal_record jsonb');
  }

  override down(): void {
    this.addSql('ALTER TABLE command_retries DROP COLUMN refusal_record');
  }
}

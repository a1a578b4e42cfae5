import { Migration } from '@mikro-orm/migrations';

/**
 * Each outcome's command fingerprint (commandFingerprint in the contracts): a command sent
 * again under a recorded id with another subject or payload is refused, not answered the
 * first one's outcome. Outcomes recorded before have none and are not compared.
 */
export class EventLog005 extends Migration {
  override name = '005-command-fingerprints';

  override up(): void {
    this.addSql('ALTER TABLE command_outcomes ADD COLUMN fingerprint text');
  }

  override down(): void {
    this.addSql('ALTER TABLE command_outcomes DROP COLUMN fingerprint;');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Each outcome's command fingerprint (CommandEnvelope in the contracts): a command sent
 * again under a recorded id with another payload is refused, not answered the first one's
 * outcome. Outcomes recorded before have none and are not compared.
 *
 * And a recorded refusal is final, whatever its code: an `unavailable` one recorded (given
 * up on, dead-lettered) before refusals said so on the wire would read back as "retry
 * shortly" (DomainError.from) to whoever answers from the record.
 */
export class EventLog005 extends Migration {
  override name = '005-command-fingerprints';

  override up(): void {
    this.addSql('ALTER TABLE command_outcomes ADD COLUMN fingerprint text');
    this.addSql(`UPDATE command_outcomes SET outcome = outcome || '{"final": true}'::jsonb
      WHERE NOT ok AND outcome->>'code' = 'unavailable' AND outcome->'final' IS NULL`);
  }

  override down(): void {
    this.addSql('ALTER TABLE command_outcomes DROP COLUMN fingerprint');
  }
}

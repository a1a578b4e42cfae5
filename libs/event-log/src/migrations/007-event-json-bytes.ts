import { Migration } from '@mikro-orm/migrations';

/**
 * Each event's size as JSON text (its data and metadata, as appended): readers cut a read
 * at a byte budget (log-reader.ts), and without it they could only learn the size of a
 * well-compressed event by making its text again on every read that reached it. Events
 * appended before have none; readers measure those as before.
 */
export class EventLog007 extends Migration {
  override name = '007-event-json-bytes';

  override up(): void {
    this.addSql('ALTER TABLE events ADD COLUMN json_bytes integer');
  }

  override down(): void {
    this.addSql('ALTER TABLE events DROP COLUMN json_bytes');
  }
}

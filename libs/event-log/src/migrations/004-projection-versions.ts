import { Migration } from '@mikro-orm/migrations';

/** The version of its rules each projection's live tables were built with (see projection-versions.ts). */
export class EventLog004 extends Migration {
  override name = '004-projection-versions';

  override up(): void {
    this.addSql(`CREATE TABLE projection_versions (
      name text PRIMARY KEY,
      version integer NOT NULL,
      built_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE projection_versions;');
  }
}

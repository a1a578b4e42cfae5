import { Migration } from '@mikro-orm/migrations';

/**
 * The folded state of a stream at one version, per decider (see snapshots.ts). A cache:
 * written in the transaction that appends the events it folds, never the source of truth;
 * dropping every row only makes commands read whole streams again.
 */
export class EventLog003 extends Migration {
  override name = '003-stream-snapshots';

  override up(): void {
    this.addSql(`CREATE TABLE stream_snapshots (
      stream_id text NOT NULL,
      decider text NOT NULL,
      state_version integer NOT NULL,
      stream_version integer NOT NULL,
      state jsonb NOT NULL,
      PRIMARY KEY (stream_id, decider)
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE stream_snapshots;');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * The event log and its bookkeeping. Positions come from an identity sequence, so they
 * are taken before commit and may commit out of order; every reader therefore gates on
 * the writing transaction id (see log-reader.ts).
 */
export class EventLog001 extends Migration {
  override name = '001-event-log';

  override up(): void {
    this.addSql(`CREATE TABLE events (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      stream_id text NOT NULL,
      stream_version integer NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      UNIQUE (stream_id, stream_version)
    )`);
    this.addSql('CREATE INDEX events_transaction_position ON events (transaction_id, position)');
    this.addSql('CREATE INDEX events_type ON events (type, position)');
    // The outcome of every handled command, written in the same transaction as its events:
    // a redelivered command finds it here and answers the same without appending again.
    this.addSql(`CREATE TABLE command_outcomes (
      command_id text PRIMARY KEY,
      subject text NOT NULL,
      ok boolean NOT NULL,
      outcome jsonb NOT NULL,
      completed_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Where each reader of the log (relay, projections) has got to.
    this.addSql(`CREATE TABLE checkpoints (
      name text PRIMARY KEY,
      transaction_id xid8 NOT NULL,
      position bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE checkpoints; DROP TABLE command_outcomes; DROP TABLE events;');
  }
}

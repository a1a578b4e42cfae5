import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'pg';

// Its parent (the bench) gone, it goes too.
process.on('disconnect', () => process.exit(0));

/**
 * The consumer half of the bus floor (bus-floor.ts), in its own process as the deployer
 * is: takes commands from a durable pull consumer, commits what one socket read delivered
 * in one transaction (up to 4 transactions at once, as Slipway's group commit does), then
 * acks each and publishes its reply (`bus-only`: without the transaction). No decoding,
 * deciding or projecting: the least work the command path's architecture can do.
 */
async function main(): Promise<void> {
  const [natsUrl, databaseUrl, stream, replies, mode] = process.argv.slice(2) as [string, string, string, string, 'commit' | 'bus-only'];
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(stream, { durable_name: 'floor', ack_policy: AckPolicy.Explicit, max_ack_pending: 1000 });
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  await pool.query('CREATE TABLE IF NOT EXISTS bus_floor (id text PRIMARY KEY, data jsonb NOT NULL)');

  let pending: JsMsg[] = [];
  let scheduled = false;
  const commit = async (batch: JsMsg[]) => {
    const ids = batch.map((m) => m.headers?.get('Nats-Msg-Id') ?? '');
    if (mode === 'commit') await pool.query('INSERT INTO bus_floor (id, data) SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT (id) DO NOTHING', [ids, batch.map((m) => m.string())]);
    batch.forEach((m, i) => {
      m.ack();
      nc.publish(`${replies}.${ids[i]}`, m.data);
    });
  };
  const messages = await (await jetstream(nc).consumers.get(stream, 'floor')).consume({ max_messages: 64 });
  process.send?.('ready');
  for await (const m of messages) {
    pending.push(m);
    if (scheduled) continue;
    scheduled = true;
    // After this socket read's other messages, as the deployer's batcher waits.
    setImmediate(() => {
      scheduled = false;
      const batch = pending;
      pending = [];
      void commit(batch).catch((error: unknown) => console.error(error));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

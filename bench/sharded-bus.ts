import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { repliedPerSecond } from './replied-senders';

/**
 * The bus alone, as bus-floor.ts measures it, but with the commands spread over `streams`
 * work-queue streams (each its own file store, so their fsyncs can overlap) instead of one:
 * what splitting COMMANDS would lift the architecture's floor to. Each sender publishes one
 * command at a time (no atomic batches: a batch is one stream's) and waits for its reply; a
 * consumer process acks and replies. Run with 1 stream as its own baseline. Commands/s.
 */
export async function shardedBusFloor(natsUrl: string, seconds: number, streams: number, senders = 64): Promise<number> {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  const run = randomUUID().slice(0, 8);
  const names = Array.from({ length: streams }, (_, i) => `shard-${run}-${i}`);
  for (const name of names) {
    await jsm.streams.add({ name, subjects: [`${name}.>`], retention: RetentionPolicy.Workqueue, storage: StorageType.File, duplicate_window: 120_000_000_000, num_replicas: 1 });
    await jsm.consumers.add(name, { durable_name: 'floor', ack_policy: AckPolicy.Explicit, max_ack_pending: 1000 });
  }
  const consumer = fork(__filename, ['consume', natsUrl, names.join(',')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await new Promise<void>((resolve, reject) => {
      consumer.once('message', () => resolve());
      consumer.once('exit', (code) => reject(new Error(`the sharded bus floor's consumer exited ${code}`)));
    });
    const js = jetstream(nc);
    return await repliedPerSecond(nc, `res-${run}.`, seconds, senders, (sender, msgID, data) => js.publish(`${names[sender % streams]}.cmd`, data, { msgID }));
  } finally {
    consumer.kill();
    for (const name of names) await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  }
}

/** The consumer half, in its own process as the deployer is: acks each command and replies on `res-<run>.<id>`. */
async function consume(natsUrl: string, streams: string[]): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const js = jetstream(nc);
  const run = streams[0]!.split('-')[1];
  for (const stream of streams) {
    const messages = await (await js.consumers.get(stream, 'floor')).consume({ max_messages: 64 });
    void (async () => {
      for await (const m of messages) {
        m.ack();
        nc.publish(`res-${run}.${m.headers?.get('Nats-Msg-Id') ?? ''}`, m.data);
      }
    })();
  }
  process.send?.('ready');
}

if (require.main === module && process.argv[2] === 'consume') {
  consume(process.argv[3]!, process.argv[4]!.split(',')).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

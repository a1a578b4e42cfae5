import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Bus, GroupPublisher } from '@slipway/bus';
import { command } from '@slipway/contracts';
import { z } from 'zod';
import { repliedPerSecond } from './replied-senders';

/** The floor's command: defined, so that COMMANDS takes it; no service consumes it. */
const FloorCreate = command('cmd.floor.create.v1', z.unknown());

/**
 * The floor of the command path's architecture, with none of Slipway's own work: each of
 * `senders` publishes a command to a COMMANDS work queue made as Slipway makes it (and
 * through the gateway's GroupPublisher, so with the same atomic batches), a consumer in
 * another process commits it to Postgres, acks it and replies, and the sender waits for
 * the reply before sending the next — the messages, fsyncs and transactions every gateway
 * command needs, without HTTP, validation, events or projections (`bus-only`: without
 * the Postgres transaction either). Commands per second.
 */
export async function busFloor(natsUrl: string, databaseUrl: string, seconds: number, mode: 'commit' | 'bus-only', senders = 64): Promise<number> {
  const bus = await Bus.connect({ url: natsUrl, prefix: 'busfloor' });
  const consumer = fork(join(__dirname, 'bus-floor-consumer.js'), [natsUrl, databaseUrl, bus.stream('COMMANDS'), bus.subject('res'), mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await new Promise<void>((resolve, reject) => {
      consumer.once('message', () => resolve());
      consumer.once('exit', (code) => reject(new Error(`the bus floor's consumer exited ${code}`)));
    });
    const publisher = new GroupPublisher(bus);
    const subject = bus.subject(FloorCreate.subject);
    return await repliedPerSecond(bus.nc, bus.subject('res.'), seconds, senders, (_sender, msgId, data) => publisher.publish({ subject, data, msgId }));
  } finally {
    consumer.kill();
    for (const stream of ['COMMANDS', 'EVENTS', 'DEADLETTER'] as const) await bus.jsm.streams.delete(bus.stream(stream)).catch(() => undefined);
    await bus.close();
  }
}

import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection } from '@nats-io/nats-core';

/** What the bus floors send: a target's definition, as the gateway's commands carry one. */
const FLOOR_COMMAND = new TextEncoder().encode(JSON.stringify({ kind: 'DeploymentTarget', metadata: { name: 'floor', labels: { round: '0' } }, spec: { kubernetes: { namespace: 'bench' } } }));

/**
 * `senders` in a closed loop for `seconds`: each publishes a command (`publish`, given its
 * sender's number and a fresh message id), waits for its reply on `<replies><message id>`,
 * then sends the next. Commands replied to per second.
 */
export async function repliedPerSecond(
  nc: NatsConnection, replies: string, seconds: number, senders: number,
  publish: (sender: number, msgId: string, data: Uint8Array) => Promise<unknown>,
): Promise<number> {
  const waiting = new Map<string, () => void>();
  const subscription = nc.subscribe(`${replies}>`, { callback: (_error: Error | null, msg: Msg) => waiting.get(msg.subject.slice(replies.length))?.() });
  let completed = 0;
  const deadline = performance.now() + seconds * 1000;
  try {
    await Promise.all(Array.from({ length: senders }, async (_, sender) => {
      while (performance.now() < deadline) {
        const msgId = randomUUID();
        const replied = new Promise<void>((resolve) => waiting.set(msgId, resolve));
        await publish(sender, msgId, FLOOR_COMMAND);
        await replied;
        waiting.delete(msgId);
        completed++;
      }
    }));
  } finally {
    subscription.unsubscribe();
  }
  return completed / seconds;
}

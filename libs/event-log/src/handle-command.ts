import { DomainError, type Reply } from '@slipway/contracts';
import type { Pool } from 'pg';
import { ConcurrencyError } from './append';
import { CommandBatcher } from './command-batcher';
import { decideBatch, type AnyStreamCommand, type BatchItem, type CommandContext, type StreamCommand } from './decide-batch';
import type { NewEvent } from './types';

export type { CommandContext, StreamCommand } from './decide-batch';

const MAX_ATTEMPTS = 8;
const batchers = new WeakMap<Pool, CommandBatcher>();

/**
 * The one command path: commands arriving together on a pool are decided together in
 * one transaction (see decideBatch). If a batch fails — a concurrent writer took a
 * stream version, a duplicate raced us, or one command hit an unexpected error — each of
 * its commands is decided again alone, so only a genuinely failing command fails.
 */
export function handleCommand<State, Command, Event extends NewEvent, Result>(
  pool: Pool, context: CommandContext, spec: StreamCommand<State, Command, Event, Result>,
): Promise<Reply<Result>> {
  let batcher = batchers.get(pool);
  if (!batcher) batchers.set(pool, (batcher = new CommandBatcher((items) => runBatch(pool, items))));
  return batcher.submit({ context, spec: spec as unknown as AnyStreamCommand }) as Promise<Reply<Result>>;
}

/**
 * Concurrent writers kept taking a stream's next version. Not the command's outcome:
 * nothing was decided, and retrying later may succeed. So it is not `final` — a sender
 * still waiting is answered the conflict (and may resend), and a command nobody waits for
 * is retried by the bus (settlement.ts) rather than acked as if it had been handled. On the
 * wire it says so (`final: false`), so a service that sent it on behalf of a command of its
 * own refuses that command the same way rather than recording the conflict as its outcome.
 */
export class StreamContended extends DomainError {
  constructor(streamId: string) {
    super('conflict', `${streamId} kept changing under concurrent writers; retry the request`, undefined, false);
  }
}

async function runBatch(pool: Pool, items: BatchItem[]): Promise<Array<PromiseSettledResult<Reply>>> {
  if (items.length > 1) {
    try {
      const replies = await decideBatch(pool, items);
      return replies.map((value) => ({ status: 'fulfilled', value }));
    } catch {
      // Fall through: decide each alone.
    }
  }
  return runEachAlone(pool, items);
}

/**
 * Each command in a transaction of its own: those on one stream one after another (in
 * parallel they would only take each other's next version, all retrying at once — a
 * batch of a hot stream failing meant dozens of writers on it), different streams at once.
 */
async function runEachAlone(pool: Pool, items: BatchItem[]): Promise<Array<PromiseSettledResult<Reply>>> {
  const results: Array<PromiseSettledResult<Reply>> = new Array(items.length);
  const byStream = new Map<string, number[]>();
  items.forEach((item, i) => byStream.set(item.spec.streamId, [...byStream.get(item.spec.streamId) ?? [], i]));
  await Promise.all([...byStream.values()].map(async (indexes) => {
    for (const i of indexes) {
      [results[i]] = await Promise.allSettled([runAlone(pool, items[i]!)]);
    }
  }));
  return results;
}

async function runAlone(pool: Pool, item: BatchItem): Promise<Reply> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return (await decideBatch(pool, [item]))[0]!;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) && !isDuplicateOutcome(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
  throw new StreamContended(item.spec.streamId);
}

function isDuplicateOutcome(error: unknown): boolean {
  return (error as { code?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'command_outcomes_pkey';
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import type { Actor } from '@slipway/contracts';
import { ensurePush, writeOutcome } from './async-apply';

/** How long a write is followed before its push is left to the result endpoint alone. */
const FOLLOW_MS = 10 * 60_000;
const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

/**
 * The background half of an asynchronous write: follows it until it is handled, then sends
 * the push of what it changed, so the configs reach the cluster whether or not anyone asks
 * for the result. Losing this work (the gateway stops) loses no push: the result endpoint
 * sends it when it finds none.
 */
@Injectable()
export class BackgroundPushes implements OnModuleDestroy {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private readonly log = new Logger('BackgroundPushes');

  constructor(private readonly commands: CommandBus) {}

  follow(writeCommandId: string, actor: Actor): void {
    const work: Promise<void> = this.pushWhenHandled(writeCommandId, actor)
      .catch((error: unknown) => {
        if (!this.stopping.signal.aborted) this.log.warn(`the push of ${writeCommandId} is left to its result endpoint: ${String(error)}`);
      })
      .finally(() => this.running.delete(work));
    this.running.add(work);
  }

  /** Stops following (at shutdown) and waits for what is under way. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
  }

  private async pushWhenHandled(writeCommandId: string, actor: Actor): Promise<void> {
    for (let delay = FIRST_DELAY_MS, waited = 0; waited < FOLLOW_MS; waited += delay, delay = Math.min(delay * 2, MAX_DELAY_MS)) {
      await sleep(delay, undefined, { signal: this.stopping.signal });
      // The status may be unreadable for a moment (telemetry restarting): look again later.
      const write = await writeOutcome(this.commands, writeCommandId).catch(() => undefined);
      if (!write) continue;
      // A refused write changed nothing, so there is nothing to push.
      if (write.ok) await ensurePush(this.commands, writeCommandId, write.value, actor);
      return;
    }
  }
}

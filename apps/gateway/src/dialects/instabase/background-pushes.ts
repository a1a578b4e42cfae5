import { setMaxListeners } from 'node:events';
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

  constructor(private readonly commands: CommandBus) {
    // Every follow waits on this one signal.
    setMaxListeners(0, this.stopping.signal);
  }

  follow(writeCommandId: string, actor: Actor): void {
    if (this.stopping.signal.aborted) {
      this.log.warn(`not following ${writeCommandId}: the gateway is stopping`);
      return;
    }
    const work: Promise<void> = this.pushWhenHandled(writeCommandId, actor)
      .catch((error: unknown) => {
        if (!this.stopping.signal.aborted) this.log.error(`following ${writeCommandId} stopped: ${String(error)}`);
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
    const deadline = Date.now() + FOLLOW_MS;
    for (let delay = FIRST_DELAY_MS; Date.now() < deadline; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
      await sleep(delay, undefined, { signal: this.stopping.signal });
      try {
        const write = await writeOutcome(this.commands, writeCommandId);
        if (!write) continue;
        // A refused write changed nothing, so there is nothing to push. Otherwise, once the
        // push is in JetStream (sent, or already there) it is the deployer's to carry out.
        if (write.ok) await ensurePush(this.commands, writeCommandId, write.value, actor);
        return;
      } catch (error) {
        // The status or the bus may be unavailable for a moment (a service restarting): try again.
        this.log.warn(`following ${writeCommandId}: ${String(error)}; retrying`);
      }
    }
    this.log.error(`gave up following ${writeCommandId} after ${FOLLOW_MS / 60_000} min: its push was not sent`);
  }
}

import { setTimeout as pause } from 'node:timers/promises';
import { Client } from 'pg';
import { keepServerSideAlive } from './database';

export interface LeadershipTiming {
  /** How often a leader asks its connection whether it is still there. */
  checkEveryMs: number;
  /** How long a query on the lock's connection may go unanswered before it counts as lost. */
  answerWithinMs: number;
  /**
   * How long the server keeps the lock's connection while it is asked nothing (Postgres's
   * idle_session_timeout, 14+): a leader asks every `checkEveryMs` between steps, so silence
   * this long is a holder stopped with its connection up (SIGSTOP, a paused VM, a hung event
   * loop), whose lock would otherwise keep every other candidate waiting for as long as it is
   * stopped. Once it goes on, its next check finds the connection gone, as after a network cut.
   */
  releaseAfterSilentMs: number;
}

const TIMING: LeadershipTiming = { checkEveryMs: 5_000, answerWithinMs: 5_000, releaseAfterSilentMs: 60_000 };


/**
 * Holds a session-level advisory lock on a connection of its own, so that exactly one
 * process runs a given loop (the relay, an async projection). If that process or its
 * connection dies, Postgres releases the lock and another candidate takes over; a leader
 * checks its connection every few seconds, so that one which died silently does not keep
 * it leading while the server has let the lock go.
 * A candidate keeps its connection between attempts: opening one costs Postgres a new
 * backend process, and candidates ask every second.
 */
export class Leadership {
  private client?: Client;
  private leader = false;
  private checkedAt = 0;

  private readonly timing: LeadershipTiming;

  constructor(private readonly url: string, private readonly key: string, timing: Partial<LeadershipTiming> = {}) {
    this.timing = { ...TIMING, ...timing };
  }

  /** Rejects when the connection does not answer: the caller releases, and tries again later. */
  async tryAcquire(): Promise<boolean> {
    if (this.leader && this.client) {
      if (Date.now() - this.checkedAt < this.timing.checkEveryMs) return true;
      await this.client.query('SELECT 1');
      this.checkedAt = Date.now();
      return true;
    }
    const client = this.client ?? (await this.connect());
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.key]);
    this.leader = rows[0]?.ok === true;
    this.checkedAt = Date.now();
    return this.leader;
  }

  get held(): boolean {
    return this.leader;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    if (!client) return;
    // A connection that no longer answers would never finish saying goodbye.
    const ended = await Promise.race([client.end().then(() => true, () => true), pause(this.timing.answerWithinMs, false)]);
    if (!ended) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.url,
      query_timeout: this.timing.answerWithinMs,
      connectionTimeoutMillis: this.timing.answerWithinMs,
      keepAlive: true,
    });
    // A lost connection loses the lock with it: the next attempt starts over.
    client.on('error', () => {
      if (this.client === client) {
        this.client = undefined;
        this.leader = false;
      }
    });
    await client.connect();
    await keepServerSideAlive(client);
    // Refused by a server before 14 (or a pooler): the lock is then held as before, for as long as its holder's connection is up.
    await client.query(`SET idle_session_timeout = ${Math.round(this.timing.releaseAfterSilentMs)}`).catch(() => undefined);
    this.client = client;
    return client;
  }
}

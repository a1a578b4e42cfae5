import { Client } from 'pg';

/**
 * Holds a session-level advisory lock on a connection of its own, so that exactly one
 * process runs a given loop (the relay, an async projection). If that process or its
 * connection dies, Postgres releases the lock and another candidate takes over.
 * A candidate keeps its connection between attempts: opening one costs Postgres a new
 * backend process, and candidates ask every second.
 */
export class Leadership {
  private client?: Client;
  private leader = false;

  constructor(private readonly url: string, private readonly key: string) {}

  async tryAcquire(): Promise<boolean> {
    if (this.leader) return true;
    const client = this.client ?? (await this.connect());
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.key]);
    this.leader = rows[0]?.ok === true;
    return this.leader;
  }

  get held(): boolean {
    return this.leader;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    // A lost connection loses the lock with it: the next attempt starts over.
    client.on('error', () => {
      if (this.client === client) {
        this.client = undefined;
        this.leader = false;
      }
    });
    await client.connect();
    this.client = client;
    return client;
  }
}

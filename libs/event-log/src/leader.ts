import { Client } from 'pg';

/**
 * Holds a session-level advisory lock on a connection of its own, so that exactly one
 * process runs a given loop (the relay, an async projection). If that process or its
 * connection dies, Postgres releases the lock and another candidate takes over.
 */
export class Leadership {
  private client?: Client;

  constructor(private readonly url: string, private readonly key: string) {}

  async tryAcquire(): Promise<boolean> {
    if (this.client) return true;
    const client = new Client({ connectionString: this.url });
    client.on('error', () => { this.client = undefined; });
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.key]);
    if (rows[0]?.ok) {
      this.client = client;
      return true;
    }
    await client.end();
    return false;
  }

  get held(): boolean {
    return this.client !== undefined;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

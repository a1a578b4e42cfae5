import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withEmbeddedDatabase } from './database-alone';
import { freePort } from './free-port';
import { startPostgres } from './postgres-server';

/** The rows of `sql` on `url`, or the error's code when the database does not answer. */
async function ask(url: string, sql: string): Promise<unknown> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return (await client.query(sql)).rows;
  } catch (error) {
    return (error as { code?: string }).code;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('the embedded database for a command run while npm start is stopped (npm run replay)', () => {
  let stateDir: string;
  let url: string;
  const dataDir = () => join(stateDir, 'postgres', 'data');

  beforeAll(async () => {
    // given a state directory as npm start leaves it: its database holding data, stopped, and the env it wrote
    stateDir = mkdtempSync(join(tmpdir(), 'slipway-alone-'));
    chmodSync(stateDir, 0o755); // run as root, the server's own user must reach its data
    const port = await freePort();
    const postgres = await startPostgres({ dataDir: dataDir(), port, durable: false });
    await ask(postgres.url, 'CREATE DATABASE slipway');
    url = `postgres://slipway@127.0.0.1:${port}/slipway`;
    await ask(url, "CREATE TABLE kept AS SELECT 'from before' AS what");
    await postgres.stop();
    writeFileSync(join(stateDir, 'env'), `DATABASE_URL=${url}\nNATS_URL=nats://127.0.0.1:1\n`);
  });
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('starts it for the command alone, the state directory claimed meanwhile, and stops it after', async () => {
    expect(await ask(url, 'SELECT 1')).toBe('ECONNREFUSED');
    const seen = await withEmbeddedDatabase(stateDir, async (given) => ({
      given, rows: await ask(given, 'SELECT what FROM kept'), claimed: existsSync(join(stateDir, 'launcher.pid')),
    }));
    expect(seen).toEqual({ given: url, rows: [{ what: 'from before' }], claimed: true });
    expect(await ask(url, 'SELECT 1')).toBe('ECONNREFUSED');
    expect(existsSync(join(stateDir, 'launcher.pid'))).toBe(false);
  });

  it('uses it as it is, and leaves it running, when it answers already', async () => {
    const postgres = await startPostgres({ dataDir: dataDir(), port: Number(new URL(url).port), durable: false });
    try {
      expect(await withEmbeddedDatabase(stateDir, (given) => ask(given, 'SELECT what FROM kept'))).toEqual([{ what: 'from before' }]);
      expect(await ask(url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await postgres.stop();
    }
  });

  it('starts nothing while an npm start holds the state directory (its database restarting, say)', async () => {
    const launcher = spawn('sleep', ['30']);
    writeFileSync(join(stateDir, 'launcher.pid'), String(launcher.pid));
    try {
      expect(await withEmbeddedDatabase(stateDir, (given) => ask(given, 'SELECT 1'))).toBe('ECONNREFUSED');
      expect(existsSync(join(stateDir, 'launcher.pid'))).toBe(true);
    } finally {
      launcher.kill();
      rmSync(join(stateDir, 'launcher.pid'), { force: true });
    }
  });
});

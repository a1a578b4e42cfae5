import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { postgresStopCommand, startPostgres } from './postgres-server';
import { Reaper } from './reaper';
import { claimStateDir } from './state-dir-claim';

/**
 * Runs `task` with the URL of the embedded default's database, starting that database for
 * it when `npm start` is stopped (`npm run replay`, which needs it most when it cannot run:
 * an older version's npm start refuses a database a newer one rebuilt, and its repair with
 * `--downgrade` is what mends that). The URL is the one npm start last wrote to `env` in
 * its state directory. Started here, Postgres runs on that port for the task alone, the
 * state directory claimed meanwhile (an npm start is refused, as a second one is), and is
 * stopped after it, or by a reaper should this process be killed. When npm start runs, or
 * the URL is not its embedded database's (a DATABASE_URL of the user's), or that answers
 * already, the task is given the URL as it is.
 */
export async function withEmbeddedDatabase<T>(stateDir: string, task: (url: string) => Promise<T>): Promise<T> {
  const url = writtenDatabaseUrl(stateDir);
  if (url === undefined) throw new Error(`no database: ${join(stateDir, 'env')} names none (npm start writes it; or set DATABASE_URL)`);
  const dataDir = join(stateDir, 'postgres', 'data');
  const port = embeddedPort(url);
  if (port === undefined || !existsSync(join(dataDir, 'PG_VERSION')) || await answers(url)) return task(url);
  let release: () => void;
  try {
    release = claimStateDir(stateDir);
  } catch {
    // npm start holds it: its database is starting, or restarting after an exit.
    return task(url);
  }
  const reaper = Reaper.start(stateDir, { removeDir: false });
  try {
    reaper.add(`${postgresStopCommand(dataDir)} 2>/dev/null`);
    const postgres = await startPostgres({ dataDir, port, durable: true });
    try {
      return await task(url);
    } finally {
      await postgres.stop();
    }
  } finally {
    reaper.stop();
    release();
  }
}

/** The DATABASE_URL npm start last wrote to the state directory's `env`, if any. */
function writtenDatabaseUrl(stateDir: string): string | undefined {
  const file = join(stateDir, 'env');
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('DATABASE_URL='));
  return line?.slice('DATABASE_URL='.length).trim() || undefined;
}

/** The port of a URL shaped as npm start writes its embedded database's (postgres-server.ts, embedded.ts); undefined for any other. */
function embeddedPort(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    const embedded = parsed.protocol === 'postgres:' && parsed.hostname === '127.0.0.1' && parsed.username === 'slipway' && parsed.password === '' && parsed.pathname === '/slipway';
    return embedded && parsed.port ? Number(parsed.port) : undefined;
  } catch {
    return undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

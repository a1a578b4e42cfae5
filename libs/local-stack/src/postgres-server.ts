import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { exitOf, run, startServer, stopProcess, waitFor } from './child';
import { shellQuote } from './reaper';
import { ensurePortFree, freePort } from './free-port';

export interface PostgresOptions {
  dataDir: string;
  port?: number;
  /** Off for tests: crash safety of a throwaway cluster buys nothing and costs time. */
  durable: boolean;
}

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Resolves when the server's process ends, with how it ended. */
  exited: Promise<string>;
}

/** A shell command that stops the server on `dataDir` from any process (see Reaper). */
export function postgresStopCommand(dataDir: string): string {
  const [ctl, args] = asServerUser(join(postgresBinDir(), 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate']);
  return [ctl, ...args].map(shellQuote).join(' ');
}

/** Finds initdb/postgres: Debian's versioned directory, or PATH. */
function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'postgres')));
    versions.sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  const which = run('sh', ['-c', 'command -v postgres || true']).trim();
  if (which) return join(which, '..');
  throw new Error('PostgreSQL server binaries not found: run `npm run setup` or install postgresql');
}

/** The distribution's `postgres` account when there is one, else `nobody`. */
function serverUser(): string {
  try {
    run('id', ['-u', 'postgres']);
    return 'postgres';
  } catch {
    return 'nobody';
  }
}

/** Postgres refuses to run as root; as root we run it as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', serverUser(), '--', command, ...args]];
}

/** As root, the ids of the user Postgres runs as; none otherwise (it runs as whoever starts it). */
function serverIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(run('id', ['-u', serverUser()]).trim()), gid: Number(run('id', ['-g', serverUser()]).trim()) };
}

function ownByServerUser(dir: string): void {
  const ids = serverIds();
  if (ids) chownSync(dir, ids.uid, ids.gid);
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const port = options.port ?? (await freePort());
  const { dataDir } = options;
  if (options.port !== undefined) await ensurePortFree(port, 'Postgres', 'SLIPWAY_POSTGRES_PORT');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
    mkdirSync(dataDir, { mode: 0o700 });
    ownByServerUser(dataDir);
    const [cmd, args] = asServerUser(join(bin, 'initdb'), ['-D', dataDir, '-U', 'slipway', '--auth=trust', '-E', 'UTF8', '--no-locale']);
    run(cmd, args);
  }
  const settings = [
    `listen_addresses='127.0.0.1'`, `port=${port}`, `unix_socket_directories=''`,
    'max_connections=200', 'shared_buffers=256MB',
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const conf = join(dataDir, 'postgresql.auto.conf');
  writeFileSync(conf, settings.join('\n') + '\n');
  ownByServerUser(conf);
  const logFile = join(dataDir, '..', 'postgres.log');
  // The postmaster is our child itself, under the server user's ids, not behind `runuser`:
  // runuser stops itself when its child is stopped (SIGSTOP), and stays stopped when the
  // child goes on, so the postmaster's later exit was never seen, and never restarted.
  const child = startServer(join(bin, 'postgres'), ['-D', dataDir], logFile, serverIds() ?? {});
  const url = `postgres://slipway@127.0.0.1:${port}/postgres`;
  // pg_ctl first: it waits for the shutdown to finish (a postmaster left behind keeps its pid file).
  const stop = async () => {
    const [ctl, ctlArgs] = asServerUser(join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30']);
    try {
      run(ctl, ctlArgs);
    } catch {
      // Not running (already stopped or never started): fall back to the signal.
    }
    await stopProcess(child);
  };
  await waitFor(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.end();
    return true;
  }, `postgres on port ${port} (log: ${logFile})`, 30_000, { process: child, logFile })
    // In a process group of its own, it would outlive a start that fails here: stopped first.
    .catch(async (error: unknown) => { await stop(); throw error; });
  return { url, port, stop, exited: exitOf(child) };
}

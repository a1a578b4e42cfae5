import { randomBytes } from 'node:crypto';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newToken } from '@slipway/contracts';
import { Client } from 'pg';
import { spawnApp, spawnApps, type AppExit } from './apps';
import { APP_RESTARTS, restartDelay } from './restart-delay';
import { stopProcess } from './child';
import { ControlPlaneRunning, kubeTestenvStopCommand, runningKubeconfig, startKubeTestenv, type RunningKube } from './kube-testenv';
import { natsStopCommand, startNats, type RunningNats } from './nats-server';
import { postgresStopCommand, startPostgres, type RunningPostgres } from './postgres-server';
import { Reaper } from './reaper';
import { ensurePortFree } from './free-port';
import { claimStateDir, isRunning } from './state-dir-claim';

export interface EmbeddedOptions {
  root: string;
  stateDir: string;
  /** The gateway's address and port. */
  host: string;
  port: number;
  postgresPort: number;
  natsPort: number;
}

/**
 * The admin token: SLIPWAY_ADMIN_TOKEN, else one generated on first start and kept (0600).
 * `generated`: not shown yet. It is shown once Slipway is up: a first start that failed
 * after generating it leaves it to be shown by the next (`admin-token.pending`). A given
 * token where one is kept replaces it in the file once the deployer has registered it: the
 * deployer revoked the kept one, and the next start without SLIPWAY_ADMIN_TOKEN would
 * otherwise use that.
 */
function adminToken(stateDir: string): { token: string; generated: boolean; shown: () => void; registered: () => void; replacesKept?: boolean } {
  const pending = join(stateDir, 'admin-token.pending');
  const file = join(stateDir, 'admin-token');
  const given = process.env.SLIPWAY_ADMIN_TOKEN;
  if (given) {
    const replaces = existsSync(file) && readFileSync(file, 'utf8').trim() !== given.trim();
    // Written as soon as the deployer has registered it (and revoked the kept one), whatever fails after.
    return { token: given, generated: false, replacesKept: replaces, shown: () => undefined, registered: () => { if (replaces) writeFileSync(file, `${given.trim()}\n`, { mode: 0o600 }); } };
  }
  const shown = () => rmSync(pending, { force: true });
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: existsSync(pending), shown, registered: () => undefined };
  // As the gateway issues tokens: found by its shape wherever it is pasted, and redacted there.
  const token = newToken(randomBytes);
  writeFileSync(pending, '');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true, shown, registered: () => undefined };
}

/** The parent of a process, where /proc says (Linux); none for init or where it cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isSafeInteger(ppid) && ppid > 1 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

const NO_CLUSTER = 'running without a cluster: cluster operations answer that none is configured (install Go 1.26+ for the local control plane, or set KUBECONFIG, and start again)';

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** What an app that could not start said last (`failed to start: …`), for the launcher's message; its log has the rest. */
function lastWords(logFile: string): string {
  try {
    // eslint-disable-next-line no-control-regex
    const lines = readFileSync(logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean);
    const said = lines.reverse().find((line) => line.includes('failed to start'));
    return said ? `: ${said.slice(said.indexOf('failed to start')).slice(0, 500)}` : '';
  } catch {
    return '';
  }
}

/**
 * `npm start`: Postgres and NATS (JetStream, fsync on every write) with data under
 * .slipway/, then one process per app. State survives a restart. Kubernetes is the
 * cluster KUBECONFIG names, else a local control plane (tools/kube-testenv) under
 * .slipway/kube that lives as long as this process.
 */
export async function runEmbedded(options: EmbeddedOptions): Promise<void> {
  const { stateDir } = options;
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  chmodSync(stateDir, 0o755);
  // Before anything that could stop what another launcher runs here.
  const release = claimStateDir(stateDir);
  try {
    // Taken, the gateway would fail to listen while the readiness check reached the other one,
    // and a server of ours would not start: told before anything starts (the control plane
    // takes seconds, and its data would be left for nothing).
    await ensurePortFree(options.port, 'the gateway', 'SLIPWAY_PORT', options.host);
    if (!process.env.DATABASE_URL) await ensurePortFree(options.postgresPort, 'Postgres', 'SLIPWAY_POSTGRES_PORT');
    if (!process.env.NATS_URL) await ensurePortFree(options.natsPort, 'nats-server', 'SLIPWAY_NATS_PORT');
  } catch (error) {
    release();
    throw error;
  }
  const servers: Array<RunningPostgres | RunningNats | RunningKube> = [];
  const children: ChildProcess[] = [];
  // Postgres and NATS run in process groups of their own: stopped by their data
  // directories too, should the launcher stop while they are still starting.
  const starting = [
    ...(process.env.DATABASE_URL ? [] : [postgresStopCommand(join(stateDir, 'postgres', 'data'))]),
    ...(process.env.NATS_URL ? [] : [natsStopCommand(join(stateDir, 'nats'))]),
  ];
  // Should this launcher be killed (SIGKILL: no handler runs), the reaper stops the servers
  // it started, as the apps stop themselves when their launcher is gone.
  const reaper = Reaper.start(stateDir, { removeDir: false });
  for (const command of starting) reaper.add(`${command} 2>/dev/null`);
  let stopping = false;
  // Starts again under way (a server's takes seconds): awaited before stopping, so that what
  // they start is stopped too rather than left running on its port.
  const restarting = new Set<Promise<void>>();
  const shutdown = async () => {
    stopping = true;
    await Promise.allSettled([...restarting]);
    // The apps together (each finishes what it holds), then the servers they used, together.
    await Promise.all(children.map((child) => stopProcess(child)));
    await Promise.all(servers.map((server) => server.stop()));
    for (const command of starting) spawnSync('sh', ['-c', `${command} 2>/dev/null`]);
    reaper.stop();
    release();
  };
  const stop = async (code: number) => {
    if (stopping) return;
    await shutdown();
    process.exit(code);
  };
  // What exits while Slipway starts stops everything (a setting refused, a port taken); once
  // it is up, an app or a server that exits is started again (restart-delay.ts), as a
  // supervisor would, and one that keeps exiting stops everything, saying so.
  let up = false;
  const exits = new Map<string, number[]>();
  const exited = (name: string, how: string, logFile: string, startAgain: () => Promise<void> | void): void => {
    if (stopping) return;
    const now = Date.now();
    const delay = up ? restartDelay(exits.get(name) ?? [], now) : undefined;
    exits.set(name, [...(exits.get(name) ?? []), now]);
    if (delay === undefined) {
      console.error(`${name} exited (${how}); see ${logFile}${up ? `: it exited ${APP_RESTARTS.maxRestarts + 1} times within ${APP_RESTARTS.windowMs / 60_000} minutes, so everything stops` : lastWords(logFile)}`);
      void stop(1);
      return;
    }
    console.error(`${name} exited (${how}); see ${logFile}; starting it again in ${delay / 1000} s`);
    setTimeout(() => {
      if (stopping) return;
      const attempt = Promise.resolve().then(startAgain).catch((error: unknown) => exited(name, `could not start again: ${(error as Error).message}`, logFile, startAgain));
      restarting.add(attempt);
      void attempt.finally(() => restarting.delete(attempt));
    }, delay);
  };
  /** A server of ours: stopped at the end, started again should it exit before. */
  const keep = <S extends RunningPostgres | RunningNats>(name: string, server: S, logFile: string, again: () => Promise<S>): S => {
    servers.push(server);
    void server.exited.then((how) => exited(name, how, logFile, async () => { keep(name, await again(), logFile, again); }));
    return server;
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  // A closed terminal: Postgres and NATS take SIGHUP for "reload" and would outlive it.
  process.once('SIGHUP', () => void stop(0));
  // Killed, npm leaves what it ran: this launcher goes to init (SIGTERM, which takes its
  // shell too), or stays with that shell (SIGKILL). Either way it stops as on Ctrl-C: when it
  // is adopted, or when the process that started its parent (npm) is gone.
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  setInterval(() => {
    if (process.ppid !== parent || (grandparent !== undefined && !isRunning(grandparent))) void stop(0);
  }, 250).unref();
  // Its reaper stops what it started when it is killed; the claim on the directory goes too.
  reaper.add(`rm -f ${JSON.stringify(join(stateDir, 'launcher.pid'))}`);

  try {
    await startAll();
  } catch (error) {
    await shutdown();
    throw error;
  }

  async function startAll(): Promise<void> {
    // Started first and awaited last: it takes longest (minutes when its binaries are not built yet).
    const kube: Promise<string | undefined> = process.env.KUBECONFIG
      ? Promise.resolve(process.env.KUBECONFIG)
      // Its data is kept from one start to the next, as Postgres's and NATS's are.
      : startKubeTestenv(options.root, join(stateDir, 'kube'), { KTE_KEEP_CLUSTER: '1' }).then(
        (running) => {
          servers.push(running);
          reaper.add(`${kubeTestenvStopCommand(options.root, join(stateDir, 'kube'))} >/dev/null 2>&1`);
          return running.kubeconfig;
        },
        // Slipway runs without a cluster rather than not at all (no Go to build one, say):
        // its cluster operations then answer that none is configured, as with a deployer
        // started without KUBECONFIG. Whatever of the control plane did start is stopped.
        (error: unknown) => {
          // One running there already (`npm run cluster`, a start that was killed): used as
          // it is, and left running when this one stops, as any cluster KUBECONFIG names.
          const running = error instanceof ControlPlaneRunning ? runningKubeconfig(error.stateDir) : undefined;
          if (running) {
            console.log(`using the local control plane already running in ${join(stateDir, 'kube')} (npm run cluster?); it is not stopped with Slipway`);
            return running;
          }
          spawnSync('sh', ['-c', `${kubeTestenvStopCommand(options.root, join(stateDir, 'kube'))} >/dev/null 2>&1`]);
          // Interrupted while it started: everything is stopping, nothing runs without it.
          if (!stopping) console.error(`the local Kubernetes control plane did not start: ${(error as Error).message}\n${NO_CLUSTER}`);
          return undefined;
        },
      );
    let databaseUrl: string;
    let natsUrl: string;
    try {
      // A server of the user's (DATABASE_URL, NATS_URL) is used as it is; else one under stateDir.
      const postgres = () => startPostgres({ dataDir: join(stateDir, 'postgres', 'data'), port: options.postgresPort, durable: true });
      const nats = () => startNats({ storeDir: join(stateDir, 'nats'), port: options.natsPort, syncAlways: true });
      // A new database is a new installation: the bus kept from the one before (its data
      // directory removed, NATS's kept) is not its bus (bus-claim.ts), and holds nothing for it.
      if (!process.env.DATABASE_URL && !process.env.NATS_URL && !existsSync(join(stateDir, 'postgres', 'data'))) rmSync(join(stateDir, 'nats'), { recursive: true, force: true });
      databaseUrl = process.env.DATABASE_URL ?? await postgres()
        .then((pg) => ensureDatabase(keep('postgres', pg, join(stateDir, 'postgres', 'postgres.log'), postgres).url, 'slipway'));
      natsUrl = process.env.NATS_URL ?? await nats()
        .then((server) => keep('nats-server', server, join(stateDir, 'nats', 'nats.log'), nats).url);
    } catch (error) {
      // So that shutdown stops it too; its start may take minutes (a first build): say why we wait.
      if (!process.env.KUBECONFIG) console.error(`${(error as Error).message}\nstopping what was started (the local control plane once its start is done)`);
      await kube.catch(() => undefined);
      throw error;
    }
    const kubeconfig = await kube;
    const { token, generated, shown, registered, replacesKept } = adminToken(stateDir);
    const env = {
      ...process.env, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, ...(kubeconfig ? { KUBECONFIG: kubeconfig } : {}), SLIPWAY_ADMIN_TOKEN: token,
      SLIPWAY_PORT: String(options.port), SLIPWAY_HOST: process.env.SLIPWAY_HOST ?? '127.0.0.1',
    };
    // 0600: a DATABASE_URL or NATS_URL of the user's may hold a password.
    writeFileSync(join(stateDir, 'env'), `DATABASE_URL=${databaseUrl}\nNATS_URL=${natsUrl}\n${kubeconfig ? `KUBECONFIG=${kubeconfig}\n` : ''}`, { mode: 0o600 });
    chmodSync(join(stateDir, 'env'), 0o600);

    const onExit = (app: string, how: AppExit) => exited(app, String(how), join(stateDir, 'logs', `${app}.log`), () => {
      children.push(spawnApp(options.root, env, join(stateDir, 'logs'), app, onExit));
    });
    const url = await spawnApps(options.root, env, join(stateDir, 'logs'), children, onExit, registered);
    up = true;
    starting.length = 0;
    console.log(`Slipway is running at ${url}`);
    console.log(generated ? `admin token (shown once; kept in ${join(stateDir, 'admin-token')}): ${token}` : `admin token: ${process.env.SLIPWAY_ADMIN_TOKEN ? 'SLIPWAY_ADMIN_TOKEN' : `in ${join(stateDir, 'admin-token')}`}`);
    if (replacesKept) console.log(`(it replaces the one kept in ${join(stateDir, 'admin-token')}, now revoked, and is kept there in its place)`);
    shown();
    const tokenShell = process.env.SLIPWAY_ADMIN_TOKEN ? '$SLIPWAY_ADMIN_TOKEN' : `$(cat ${join(stateDir, 'admin-token')})`;
    // (A revoked admin token never gets this far: the deployer refuses to start with one, saying so.)
    console.log(`try: curl -H "Authorization: Bearer ${tokenShell}" ${url}/api/v1/namespaces/default/deployment-targets`);
    console.log(kubeconfig ? `kubernetes: KUBECONFIG=${kubeconfig}${process.env.KUBECONFIG ? '' : ' (local control plane)'}` : `kubernetes: none (the local control plane did not start, see above): ${NO_CLUSTER}`);
    console.log(`logs: ${join(stateDir, 'logs')}/   stop: Ctrl-C`);
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Bus } from '@slipway/bus';
import { createPool } from '@slipway/event-log';
import type { Pool } from 'pg';
import { eventually } from './eventually';
import { scratchDir } from './scratch-dir';
import { createTestDatabase, natsUrl, testBusPrefix } from './test-database';

const repoRoot = resolve(__dirname, '..', '..', '..');

type ServiceName = 'deployer' | 'config-store' | 'telemetry';

/** A service of Slipway in a process of its own, to be killed the way a machine or the OOM killer ends it. */
interface ServiceProcess {
  /** SIGKILL: no shutdown hook runs, nothing is drained, acked or closed. */
  kill(): Promise<void>;
}

/**
 * Starts `app` from the compiled dist/ (the test command compiles it first) with `env`
 * (DATABASE_URL, NATS_URL, SLIPWAY_BUS_PREFIX), once it says it is ready: migrated,
 * consuming its commands. Its output is appended to `logFile`.
 */
function startServiceProcess(app: ServiceName, env: NodeJS.ProcessEnv, logFile: string): Promise<ServiceProcess> {
  const main = resolve(repoRoot, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: the test command compiles dist/ first`);
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  return new Promise((ready, failed) => {
    // A service that neither says it is ready nor exits fails the test with its output.
    const stuck = setTimeout(() => { child.kill('SIGKILL'); failed(new Error(`the ${app} was not ready after 120 s:\n${output.slice(-2_000)}`)); }, 120_000);
    let started = false;
    const read = (chunk: Buffer) => {
      appendFileSync(logFile, chunk);
      if (started) return;
      output += chunk.toString();
      if (output.includes(`${app} ready`)) {
        started = true;
        clearTimeout(stuck);
        ready({ kill: async () => { child.kill('SIGKILL'); await exited; } });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(() => clearTimeout(stuck)).then(() => failed(new Error(`the ${app} exited before it was ready:\n${output.slice(-2_000)}`)));
  });
}

/**
 * What a crash must never cause, checked once every command sent has its outcome: a
 * command's effect twice (its events appended by two transactions), an event the relay
 * published twice or not at all (EVENTS holds what the log holds), a command dead-lettered
 * or left unhandled for `service` (its commands; what it sent others stays theirs).
 */
export async function expectEachCommandOnce(db: Pool, bus: Bus, service: string): Promise<void> {
  const twice = await db.query(
    `SELECT metadata->>'commandId' AS command_id FROM events GROUP BY 1 HAVING count(DISTINCT transaction_id) > 1`,
  );
  expect(twice.rows).toEqual([]);
  const logged = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
  const messages = async (stream: 'EVENTS' | 'DEADLETTER') => (await bus.jsm.streams.info(bus.stream(stream))).state.messages;
  await eventually(async () => expect(await messages('EVENTS')).toBe(logged), 30_000, 250);
  // A command committed by a process killed before its ack stays queued until the ack wait
  // (30 s) passes; delivered again, it answers its outcome and is acked.
  await eventually(async () => {
    const consumer = await bus.jsm.consumers.info(bus.stream('COMMANDS'), `${service}-commands`);
    expect({ pending: consumer.num_pending, unacked: consumer.num_ack_pending }).toEqual({ pending: 0, unacked: 0 });
  }, 60_000, 250);
  expect(await messages('DEADLETTER')).toBe(0);
}

/** One service in a process of its own on a database and bus prefix of its own, to be killed under load. */
export interface CrashRig {
  /** The database, its search path on the service's schema. */
  db: Pool;
  bus: Bus;
  /** How many commands have an outcome. */
  handled(): Promise<number>;
  /**
   * Kills the service (SIGKILL) and starts it again `kills` times, each once another part
   * of `total` commands has its outcome: 1/(kills+1) of them, then 2/(kills+1), and so on.
   */
  killAsHandled(total: number, kills: number, from?: number): Promise<void>;
  close(): Promise<void>;
}

export async function crashRig(app: ServiceName, schema?: string): Promise<CrashRig> {
  const databaseUrl = await createTestDatabase();
  const prefix = testBusPrefix();
  const env = { ...process.env, DATABASE_URL: databaseUrl, NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: prefix };
  // The service's output, kept with the run's state (SLIPWAY_KEEP_TEST_STATE=1).
  const log = resolve(scratchDir(`killed-${app}`), `${app}.log`);
  let service: ServiceProcess | undefined = await startServiceProcess(app, env, log);
  const db = createPool(databaseUrl, { schema });
  const bus = await Bus.connect({ url: natsUrl(), prefix });
  const handled = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM command_outcomes')).rows[0]!.n;
  return {
    db, bus, handled,
    async killAsHandled(total, kills, from = 0) {
      for (let k = 1; k <= kills; k += 1) {
        await eventually(async () => expect(await handled() - from).toBeGreaterThanOrEqual((total * k) / (kills + 1)), 90_000, 25);
        await service!.kill();
        service = undefined;
        service = await startServiceProcess(app, env, log);
      }
    },
    async close() {
      await service?.kill();
      await bus.close();
      await db.end();
    },
  };
}

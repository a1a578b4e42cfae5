import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Bus } from '@slipway/bus';
import type { Pool } from 'pg';
import { eventually } from './eventually';

const repoRoot = resolve(__dirname, '..', '..', '..');

/** A service of Slipway in a process of its own, to be killed the way a machine or the OOM killer ends it. */
export interface ServiceProcess {
  /** SIGKILL: no shutdown hook runs, nothing is drained, acked or closed. */
  kill(): Promise<void>;
}

/**
 * Starts `app` from the compiled dist/ (the test command compiles it first) with `env`
 * (DATABASE_URL, NATS_URL, SLIPWAY_BUS_PREFIX), once it says it is ready: migrated,
 * consuming its commands. Its output is appended to `logFile`.
 */
export function startServiceProcess(app: 'deployer' | 'config-store' | 'telemetry', env: NodeJS.ProcessEnv, logFile: string): Promise<ServiceProcess> {
  const main = resolve(repoRoot, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: the test command compiles dist/ first`);
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  return new Promise((ready, failed) => {
    const read = (chunk: Buffer) => {
      appendFileSync(logFile, chunk);
      output += chunk.toString();
      if (output.includes(`${app} ready`)) {
        ready({ kill: async () => { child.kill('SIGKILL'); await exited; } });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(() => failed(new Error(`the ${app} exited before it was ready:\n${output.slice(-2_000)}`)));
  });
}

/**
 * What a crash must never cause, checked once every command sent has its outcome: a
 * command's effect twice (its events appended by two transactions), an event the relay
 * published twice or not at all (EVENTS holds what the log holds), a command dead-lettered
 * or left in COMMANDS.
 */
export async function expectEachCommandOnce(db: Pool, bus: Bus): Promise<void> {
  const twice = await db.query(
    `SELECT metadata->>'commandId' AS command_id FROM events GROUP BY 1 HAVING count(DISTINCT transaction_id) > 1`,
  );
  expect(twice.rows).toEqual([]);
  const logged = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
  const messages = async (stream: 'EVENTS' | 'COMMANDS' | 'DEADLETTER') => (await bus.jsm.streams.info(bus.stream(stream))).state.messages;
  await eventually(async () => expect(await messages('EVENTS')).toBe(logged), 30_000, 250);
  await eventually(async () => expect(await messages('COMMANDS')).toBe(0), 10_000, 100);
  expect(await messages('DEADLETTER')).toBe(0);
}

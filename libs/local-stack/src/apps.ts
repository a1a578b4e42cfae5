import { spawn, type ChildProcess } from 'node:child_process';
import { fstatSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from './child';

/** SLIPWAY_NODE_ARGS: extra flags for every app process (e.g. --cpu-prof, not allowed in NODE_OPTIONS). */
const extraNodeArgs = (): string[] => (process.env.SLIPWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);

export const APPS = ['deployer', 'config-store', 'telemetry', 'gateway'] as const;


/**
 * One process per app from the compiled dist/, logs in `logDir`. The deployer goes
 * first: it runs the migrations and registers the admin token the others rely on.
 * Each child is pushed to `children` as soon as it exists, so a caller can stop them
 * even when start-up fails half-way. Resolves to the gateway's URL.
 */
export async function spawnApps(
  root: string, env: NodeJS.ProcessEnv, logDir: string, children: ChildProcess[], onExit: (app: string, code: number | null) => void,
): Promise<string> {
  for (const app of APPS) {
    const logFile = join(logDir, `${app}.log`);
    const log = openSync(logFile, 'a');
    // The log is kept across starts: only what this start writes can say it is ready.
    const written = fstatSync(log).size;
    const child = spawn(process.execPath, [...extraNodeArgs(), '--enable-source-maps', resolve(root, 'dist', 'apps', app, 'src', 'main.js')], { env, stdio: ['ignore', log, log, 'ipc'] });
    child.once('exit', (code) => onExit(app, code));
    children.push(child);
    if (app === 'deployer') await waitFor(async () => readFileSync(logFile).subarray(written).includes('deployer ready'), 'the deployer', 60_000);
  }
  const gatewayUrl = `http://${env.SLIPWAY_HOST ?? '127.0.0.1'}:${env.SLIPWAY_PORT ?? 8080}`;
  await waitFor(async () => (await fetch(`${gatewayUrl}/readyz`)).ok, `the gateway on ${gatewayUrl}`, 60_000);
  return gatewayUrl;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from './child';

/** SLIPWAY_NODE_ARGS: extra flags for every app process (e.g. --cpu-prof, not allowed in NODE_OPTIONS). */
const extraNodeArgs = (): string[] => (process.env.SLIPWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** How an app's process ended: its exit code, or the signal that ended it. */
export type AppExit = number | NodeJS.Signals | null;

export const APPS = ['deployer', 'config-store', 'telemetry', 'gateway'] as const;


/** One app's process from the compiled dist/, its output appended to `<logDir>/<app>.log`. */
export function spawnApp(root: string, env: NodeJS.ProcessEnv, logDir: string, app: string, onExit: (app: string, how: AppExit) => void): ChildProcess {
  const log = openSync(join(logDir, `${app}.log`), 'a');
  const child = spawn(process.execPath, [...extraNodeArgs(), '--enable-source-maps', resolve(root, 'dist', 'apps', app, 'src', 'main.js')], { env, stdio: ['ignore', log, log, 'ipc'] });
  child.once('exit', (code, signal) => onExit(app, code ?? signal));
  return child;
}

/**
 * One process per app from the compiled dist/, logs in `logDir`. The deployer goes
 * first: it runs the migrations and registers the admin token the others rely on. Resolves
 * once each has said it is ready (the gateway's /readyz).
 * Each child is pushed to `children` as soon as it exists, so a caller can stop them
 * even when start-up fails half-way. Resolves to the gateway's URL.
 */
export async function spawnApps(
  root: string, env: NodeJS.ProcessEnv, logDir: string, children: ChildProcess[], onExit: (app: string, how: AppExit) => void,
  onDeployerReady: () => void = () => undefined,
): Promise<string> {
  const host = env.SLIPWAY_HOST ?? '127.0.0.1';
  const gatewayUrl = `http://${host.includes(':') ? `[${host}]` : host}:${env.SLIPWAY_PORT ?? 8080}`;
  const ready: Array<Promise<void>> = [];
  for (const app of APPS) {
    const logFile = join(logDir, `${app}.log`);
    // The log is kept across starts: only what this start writes can say it is ready.
    const written = existsSync(logFile) ? statSync(logFile).size : 0;
    // One that exits as it starts is the caller's to tell (onExit): npm start stops, saying why.
    children.push(spawnApp(root, env, logDir, app, onExit));
    if (app === 'gateway') {
      ready.push(waitFor(async () => (await fetch(`${gatewayUrl}/readyz`)).ok, `the gateway on ${gatewayUrl}`, 60_000));
      continue;
    }
    const said = waitFor(async () => readFileSync(logFile).subarray(written).includes(`${app} ready`), `the ${app}`, app === 'deployer' ? 60_000 : 120_000);
    if (app === 'deployer') {
      await said;
      onDeployerReady();
    } else ready.push(said);
  }
  // Running means every service answers, not the gateway alone with telemetry still starting;
  // every wait is over before a failure is told (none is left to fail unheard later).
  const failed = (await Promise.allSettled(ready)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return gatewayUrl;
}

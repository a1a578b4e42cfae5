import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';

/** Runs a command to completion and throws with its output when it fails. */
export function run(command: string, args: string[], options: SpawnOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout || result.error}`);
  }
  return result.stdout;
}

/** Starts a long-running process whose output goes to a log file. */
export function startLogged(command: string, args: string[], logFile: string, options: SpawnOptions = {}): ChildProcess {
  const out = openSync(logFile, 'a');
  return spawn(command, args, { stdio: ['ignore', out, out], ...options });
}

/**
 * A server of the stack (Postgres, NATS), in a process group of its own: Ctrl-C in the
 * terminal reaches the launcher only, which stops the apps first (they finish what they
 * hold) and the servers after them.
 */
export function startServer(command: string, args: string[], logFile: string, options: SpawnOptions = {}): ChildProcess {
  return startLogged(command, args, logFile, { ...options, detached: true });
}

/** How the process ended (its exit code, or the signal), once it has. */
export function exitOf(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(String(child.exitCode ?? child.signalCode));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(String(code ?? signal))));
}

/** Sends TERM, then KILL if the process is still there after the grace period. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Polls `check` until it holds. With the `child` that should come to pass it, fails as
 * soon as that process has exited, with the end of its log: a server that could not
 * start (a port in use, a damaged data directory) is said so at once, not after the timeout.
 */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000, child?: { process: ChildProcess; logFile: string }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (child && (child.process.exitCode !== null || child.process.signalCode !== null)) {
      throw new Error(`${what} exited (${child.process.exitCode ?? child.process.signalCode}) before it was ready; the end of ${child.logFile}:\n${logTail(child.logFile)}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function logTail(logFile: string, lines = 8): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

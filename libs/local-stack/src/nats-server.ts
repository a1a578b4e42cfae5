import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { exitOf, run, startServer, stopProcess, waitFor } from './child';
import { acceptsConnections, ensurePortFree, freePort } from './free-port';
import { shellQuote } from './reaper';

export interface NatsOptions {
  storeDir: string;
  port?: number;
  /** fsync every JetStream write (`sync_interval: always`) where the server supports it. */
  syncAlways: boolean;
  /** Serve the monitoring endpoints (/varz, ...) on this port; the benchmark reads message counts there. */
  monitorPort?: number;
  /**
   * JetStream's storage limit (`max_file_store`, e.g. `1TB`); by default three quarters of
   * the disk's free space when the server starts. Every stream with a byte limit reserves
   * it whole against this (EVENTS: 1 GiB), however little it holds.
   */
  maxFileStore?: string;
}

export interface RunningNats {
  url: string;
  port: number;
  /** A shell command that stops it from any process (see Reaper). */
  stopCommand: string;
  stop(): Promise<void>;
  /** Resolves when the server's process ends, with how it ended. */
  exited: Promise<string>;
}

export const NATS_VERSION = 'v2.15.2';

/** A command carries an upload of up to SLIPWAY_UPLOAD_LIMIT (4 MiB) and its envelope. */
export const NATS_MAX_PAYLOAD = '8MB';

/** The server built by scripts/setup.sh into the cache, else one on PATH (Debian's 2.9). */
export function natsServerBinary(): string {
  const cache = process.env.SLIPWAY_CACHE ?? join(homedir(), '.cache', 'slipway');
  const built = join(cache, 'nats', NATS_VERSION, 'nats-server');
  if (existsSync(built)) return built;
  const onPath = run('sh', ['-c', 'command -v nats-server || true']).trim();
  if (onPath) return onPath;
  throw new Error('nats-server not found: run `npm run setup`');
}

function supportsSyncInterval(binary: string): boolean {
  const version = run(binary, ['--version']).match(/v(\d+)\.(\d+)/);
  return !!version && (Number(version[1]) > 2 || Number(version[2]) >= 10);
}

const natsPidFile = (storeDir: string): string => join(storeDir, 'nats.pid');

/**
 * A shell command that stops the nats-server of `storeDir` from any process, known before
 * it starts (it reads the server's pid file): a run killed while the server was starting
 * leaves none behind.
 */
export function natsStopCommand(storeDir: string): string {
  const pidFile = shellQuote(natsPidFile(storeDir));
  return `[ -f ${pidFile} ] && kill "$(cat ${pidFile})"`;
}

export async function startNats(options: NatsOptions): Promise<RunningNats> {
  const binary = natsServerBinary();
  const port = options.port ?? (await freePort());
  mkdirSync(options.storeDir, { recursive: true });
  const sync = options.syncAlways && supportsSyncInterval(binary) ? '\n  sync_interval: always' : '';
  const config = join(options.storeDir, 'nats.conf');
  const monitor = options.monitorPort ? `http: 127.0.0.1:${options.monitorPort}\n` : '';
  const storeLimit = options.maxFileStore ? `\n  max_file_store: ${options.maxFileStore}` : '';
  writeFileSync(config, `listen: 127.0.0.1:${port}\n${monitor}pid_file: "${natsPidFile(options.storeDir)}"\nmax_payload: ${NATS_MAX_PAYLOAD}\njetstream {\n  store_dir: "${options.storeDir}"${sync}${storeLimit}\n}\n`);
  if (options.port !== undefined) await ensurePortFree(port, 'nats-server', 'SLIPWAY_NATS_PORT');
  const logFile = join(options.storeDir, 'nats.log');
  const child = startServer(binary, ['-c', config], logFile);
  // In a process group of its own, it would outlive a start that fails here: stopped first.
  await waitFor(() => acceptsConnections(port), `nats-server on port ${port}`, 30_000, { process: child, logFile })
    .catch(async (error: unknown) => { await stopProcess(child); throw error; });
  return { url: `nats://127.0.0.1:${port}`, port, stopCommand: natsStopCommand(options.storeDir), stop: () => stopProcess(child), exited: exitOf(child) };
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from './reaper';

export interface RunningKube {
  /** Everything start.sh wrote to <state-dir>/env: KUBECONFIG, KUBE_TESTENV_BIN, ports ... */
  env: Record<string, string>;
  kubeconfig: string;
  stateDir: string;
  stop(): Promise<void>;
}

/** start.sh found the control plane of its state directory running: another start's, not to be stopped by this one. */
export class ControlPlaneRunning extends Error {
  constructor(readonly stateDir: string) {
    super(`a local control plane is already running in ${stateDir}`);
  }
}

/** Runs a tools/kube-testenv script, its output (build progress, errors) passed through to stderr. */
export function kubeTestenvScript(root: string, name: string, stateDir: string, env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(root, 'tools', 'kube-testenv', name), stateDir], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(code === 3 && name === 'start.sh' ? new ControlPlaneRunning(stateDir) : new Error(`tools/kube-testenv/${name} ${stateDir} exited with ${code}`));
    });
  });
}

/** The kubeconfig of the control plane running in `stateDir` (as start.sh wrote it), if it has one. */
export function runningKubeconfig(stateDir: string): string | undefined {
  try {
    return parseEnvFile(readFileSync(join(stateDir, 'env'), 'utf8')).KUBECONFIG;
  } catch {
    return undefined;
  }
}

/** `KEY=value` lines as start.sh writes them (values quoted with printf %q only when needed). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = line.match(/^([A-Z_][A-Z0-9_]*)=(.*)$/);
    if (match) env[match[1]] = match[2].replace(/^'(.*)'$/, '$1').replace(/\\(.)/g, '$1');
  }
  return env;
}

/**
 * The local Kubernetes control plane of tools/kube-testenv (etcd, kube-apiserver,
 * controller-manager, scheduler, KWOK nodes) with its state in `stateDir`. The first start
 * on a machine builds the binaries into ~/.cache/slipway/kube (minutes; progress on stderr).
 * `knobs` are start.sh's environment settings (KWOK_NODES, KWOK_LOGS_FILE, START_TIMEOUT).
 */
export async function startKubeTestenv(root: string, stateDir: string, knobs: Record<string, string> = {}): Promise<RunningKube> {
  await kubeTestenvScript(root, 'start.sh', stateDir, knobs);
  const env = parseEnvFile(readFileSync(join(stateDir, 'env'), 'utf8'));
  if (!env.KUBECONFIG) throw new Error(`${stateDir}/env names no KUBECONFIG`);
  return { env, kubeconfig: env.KUBECONFIG, stateDir, stop: () => kubeTestenvScript(root, 'stop.sh', stateDir) };
}

/** A shell command that stops the control plane of `stateDir` from any process (see Reaper). */
export function kubeTestenvStopCommand(root: string, stateDir: string): string {
  return ['bash', join(root, 'tools', 'kube-testenv', 'stop.sh'), stateDir].map(shellQuote).join(' ');
}
